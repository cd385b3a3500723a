#!/usr/bin/env node
'use strict';
// Bundles the CLI (dist/cli/main.js and everything it requires, commander
// included) into dist/cli.js: one file to read and compile instead of ~40
// module resolutions at every start. Modules the commands load lazily stay
// lazy (esbuild evaluates a bundled CommonJS module at its first require).
// Left out, loaded from dist/ when needed: the generated schema validator
// (240 kB that only create/run/exec/spec need) and the addon (node-gyp-build).
// The git commit of the checkout is compiled in for `--version`.
// Then writes dist/cli.js.cache, V8's code cache of the bundle, which
// bin/ts-oci hands to vm.Script: compiling 450 kB costs ~5 ms per start, the
// cache ~1 ms. A cache made by another Node version is rejected and ignored.
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const { spawnSync } = require('child_process');
const esbuild = require('esbuild');

const dist = path.resolve(__dirname, '..', 'dist');
const bundle = path.join(dist, 'cli.js');

/** `require('./config-validator')` from dist/spec/load.js becomes a require relative to dist/cli.js. */
const validatorStaysOutside = {
  name: 'validator-stays-outside',
  setup(build) {
    build.onResolve({ filter: /\/config-validator$/ }, () => ({ path: './spec/config-validator.js', external: true }));
  },
};

/** Compiles and evaluates the bundle's top level (no command runs), then saves what V8 compiled. */
function writeCodeCache() {
  const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, 'utf8')), { filename: bundle });
  const mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(bundle), mod, bundle, dist);
  fs.writeFileSync(`${bundle}.cache`, script.createCachedData());
}

/** The commit `ts-oci --version` names, as runc's `commit:` line: git's, with -dirty for local changes. */
function gitCommit() {
  const git = (...args) => spawnSync('git', args, { cwd: path.join(dist, '..'), encoding: 'utf8' });
  const head = git('rev-parse', '--short=12', 'HEAD');
  if (head.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  return head.stdout.trim() + (dirty.status === 0 && dirty.stdout.trim() ? '-dirty' : '');
}

esbuild.build({
  entryPoints: [path.join(dist, 'cli', 'main.js')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  plugins: [validatorStaysOutside],
  // Loaded only by the systemd cgroup driver, from node_modules: no cost to a cgroupfs start.
  external: ['dbus-next'],
  define: { TS_OCI_COMMIT: JSON.stringify(gitCommit()) },
}).then(writeCodeCache).catch((e) => {
  console.error(e);
  process.exit(1);
});
