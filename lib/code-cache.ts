// require() of a large generated file (the CLI bundle, the schema validator)
// with V8's code cache beside it (<file>.cache, written at build time by
// scripts/warm-code-cache.js): compiling them costs several ms per CLI start,
// the cache a fraction of that. A cache made by another Node version or with
// other V8 flags is rejected by V8 and the file is compiled as usual.
// Kept outside the bundle (scripts/bundle-cli.js): bin/ts-oci, the bundle
// and the warm-up share this one module and its record of compiled scripts.
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';

// The CommonJS loader's own class: require('module') would load Node's ESM
// loader and source-map support besides (~0.5 ms of every CLI start).
const Module = module.constructor as typeof import('module');

const compiled = new Map<string, vm.Script>();

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(`${file}.cache`);
  } catch {
    return undefined;
  }
}

/** require(file) through vm.Script with its code cache; each file once, as require() would. */
export function requireWithCodeCache(file: string): unknown {
  const cached = require.cache[file];
  if (cached) return cached.exports;
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: readCache(file) });
  const mod = new Module(file, module);
  mod.filename = file;
  require.cache[file] = mod;
  compiled.set(file, script);
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}

/** Writes <file>.cache for every file loaded here, holding what V8 compiled so far (the build's warm-up). */
export function saveCodeCaches(): string[] {
  for (const [file, script] of compiled) fs.writeFileSync(`${file}.cache`, script.createCachedData());
  return [...compiled.keys()];
}
