#!/usr/bin/env node
'use strict';
// Started by bin/ts-oci, which records the caller's descriptors first.
// The CLI, bundled into one file (scripts/bundle-cli.js); commands load the
// rest (the addon, the schema validator) when they need it.
const fs = require('fs');
const path = require('path');

const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
const cli = fs.existsSync(bundle) ? loadWithCodeCache(bundle) : require('../dist/cli/main.js');
cli.main(process.argv.slice(2)).then((code) => { process.exitCode = code; });

/** require(file), compiled with V8's code cache beside it when there is one (and V8 accepts it). */
function loadWithCodeCache(file) {
  const Module = require('module');
  const vm = require('vm');
  let cachedData;
  try {
    cachedData = fs.readFileSync(`${file}.cache`);
  } catch {
    // No cache: compile as usual.
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData });
  const mod = new Module(file, module);
  mod.filename = file;
  require.cache[file] = mod;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return mod.exports;
}
