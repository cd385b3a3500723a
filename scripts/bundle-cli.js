#!/usr/bin/env node
'use strict';
// Bundles the CLI (dist/cli/main.js and everything it requires, commander
// included) into dist/cli.js: one file to read and compile instead of ~40
// module resolutions at every start. Modules the commands load lazily stay
// lazy (esbuild evaluates a bundled CommonJS module at its first require).
// Left out, loaded from dist/ when needed: the generated schema validator
// (240 kB that only create/run/exec/spec need) and the addon (node-gyp-build).
const path = require('path');
const esbuild = require('esbuild');

const dist = path.resolve(__dirname, '..', 'dist');

/** `require('./config-validator')` from dist/spec/load.js becomes a require relative to dist/cli.js. */
const validatorStaysOutside = {
  name: 'validator-stays-outside',
  setup(build) {
    build.onResolve({ filter: /\/config-validator$/ }, () => ({ path: './spec/config-validator.js', external: true }));
  },
};

esbuild.build({
  entryPoints: [path.join(dist, 'cli', 'main.js')],
  outfile: path.join(dist, 'cli.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  plugins: [validatorStaysOutside],
}).catch(() => process.exit(1));
