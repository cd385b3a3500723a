#!/usr/bin/env node
// Are prebuilds/<platform>-<arch>/{ts-oci.node,ts-oci-init} there and built
// from the current native sources? Used by prepack (the tarball must carry
// them: users install without a compiler) and by the demo (use them rather
// than compile). Exit 0 when they are current; else one line per problem.
'use strict';
const fs = require('fs');
const path = require('path');

const PREBUILT_FILES = ['ts-oci.node', 'ts-oci-init'];

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** What is wrong with the prebuilds of package `root` ([] when nothing). */
function prebuildProblems(root, platformArch = `${process.platform}-${process.arch}`) {
  const dir = path.join(root, 'prebuilds', platformArch);
  const missing = PREBUILT_FILES.filter((f) => !fs.existsSync(path.join(dir, f)));
  if (missing.length) return missing.map((f) => `prebuilds/${platformArch}/${f} is missing`);
  const problems = [];
  const helper = path.join(dir, 'ts-oci-init');
  if ((fs.statSync(helper).mode & 0o111) === 0) problems.push(`prebuilds/${platformArch}/ts-oci-init is not executable`);
  const built = Math.min(...PREBUILT_FILES.map((f) => fs.statSync(path.join(dir, f)).mtimeMs));
  const sources = [path.join(root, 'binding.gyp'), ...listFiles(path.join(root, 'native'))];
  const newer = sources.filter((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs > built);
  if (newer.length) {
    problems.push(`prebuilds/${platformArch} is older than ${path.relative(root, newer[0])}${newer.length > 1 ? ` and ${newer.length - 1} more` : ''}`);
  }
  return problems;
}

module.exports = { prebuildProblems, PREBUILT_FILES };

if (require.main === module) {
  const problems = prebuildProblems(path.resolve(__dirname, '..'));
  for (const p of problems) console.error(`check-prebuilds: ${p}`);
  process.exit(problems.length ? 1 : 0);
}
