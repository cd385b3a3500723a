#!/usr/bin/env node
'use strict';
// Started by bin/ts-oci, which records the caller's descriptors first.
// Loads only the CLI; commands load the rest (and the addon) when they need it.
require('../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => { process.exitCode = code; });
