#!/usr/bin/env node
'use strict';
// Started by bin/ts-oci, which records the caller's descriptors first.
// The CLI, bundled into one file (scripts/bundle-cli.js) and compiled with
// its V8 code cache (dist/code-cache.js); commands load the rest (the addon,
// the schema validator) when they need it.
const fs = require('fs');
const path = require('path');

const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
const cli = fs.existsSync(bundle)
  ? require('../dist/code-cache.js').requireWithCodeCache(bundle)
  : require('../dist/cli/main.js');
cli.main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
