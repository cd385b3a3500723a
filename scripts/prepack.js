#!/usr/bin/env node
// `npm pack`/`npm publish` (prepack): the tarball must carry the prebuilt
// addon and the static helper, or every user needs a compiler. Builds them
// (scripts/prebuild.js) when they are missing or older than the native
// sources; refuses to pack when that fails.
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');
const { prebuildProblems } = require('./check-prebuilds');

const root = path.resolve(__dirname, '..');

function refuse(problems, why) {
  console.error(`prepack: refusing to pack without current prebuilds: ${problems.join('; ')}`);
  if (why) console.error(`prepack: ${why}`);
  console.error('prepack: run `npm run prebuild` (needs g++, make, python3) and pack again');
  process.exit(1);
}

let problems = prebuildProblems(root);
if (problems.length) {
  console.error(`prepack: ${problems.join('; ')}: building them (npm run prebuild)`);
  const r = spawnSync(process.execPath, [path.join(__dirname, 'prebuild.js')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) refuse(problems, 'scripts/prebuild.js failed');
  problems = prebuildProblems(root);
  if (problems.length) refuse(problems);
}
