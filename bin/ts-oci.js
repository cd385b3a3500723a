#!/usr/bin/env node
'use strict';
// Started by bin/ts-oci, which records the caller's descriptors first.
// The CLI, bundled into one file (scripts/bundle-cli.js); commands load the
// rest (the addon, the schema validator) when they need it.
const fs = require('fs');
const path = require('path');
const bundle = path.join(__dirname, '..', 'dist', 'cli.js');
require(fs.existsSync(bundle) ? bundle : '../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
