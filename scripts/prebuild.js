#!/usr/bin/env node
// `npm run prebuild`: builds the N-API addon with prebuildify into
// prebuilds/linux-x64/ts-oci.napi.node, puts the stripped static helper
// ts-oci-init beside it (lib/native.ts looks for it there), and checks that
// neither needs more than glibc on the host that installs the package.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const prebuildify = require('prebuildify');

const root = path.resolve(__dirname, '..');
const platformDir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
// What a .node built with -static-libstdc++ -static-libgcc may still load.
const allowedLibs = new Set(['libc.so.6', 'libm.so.6', 'ld-linux-x86-64.so.2', 'libpthread.so.0', 'libdl.so.2']);

// No network: compile against the headers installed with this node (npm is
// configured with nodedir=/usr; `node scripts/prebuild.js` run by hand has no
// npm_config_* in its environment, so set the same here).
function useLocalNodeHeaders() {
  if (process.env.npm_config_nodedir) return;
  const prefix = path.resolve(process.execPath, '..', '..');
  if (!fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
    throw new Error(`no Node headers under ${prefix}/include/node: set npm_config_nodedir`);
  }
  process.env.npm_config_nodedir = prefix;
}

function runPrebuildify() {
  return new Promise((resolve, reject) => {
    prebuildify(
      { cwd: root, napi: true, strip: true, targets: [`node@${process.versions.node}`] },
      (err) => (err ? reject(err) : resolve()),
    );
  });
}

function neededLibs(file) {
  const out = execFileSync('readelf', ['-d', file], { encoding: 'utf8' });
  return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
}

function installHelper() {
  const built = path.join(root, 'build', 'Release', 'ts-oci-init');
  const dest = path.join(platformDir, 'ts-oci-init');
  fs.copyFileSync(built, dest);
  execFileSync('strip', ['--strip-all', dest]);
  fs.chmodSync(dest, 0o755);
  const libs = neededLibs(dest);
  if (libs.length) throw new Error(`${dest} must be static but needs ${libs.join(', ')}`);
  return dest;
}

function checkAddon() {
  const addons = fs.readdirSync(platformDir).filter((f) => f.endsWith('.node'));
  if (addons.length !== 1) throw new Error(`expected one .node in ${platformDir}, found: ${addons.join(', ')}`);
  const file = path.join(platformDir, addons[0]);
  const extra = neededLibs(file).filter((lib) => !allowedLibs.has(lib));
  if (extra.length) throw new Error(`${file} needs libraries beyond glibc: ${extra.join(', ')}`);
  return file;
}

async function main() {
  useLocalNodeHeaders();
  fs.rmSync(platformDir, { recursive: true, force: true });
  await runPrebuildify();
  const addon = checkAddon();
  const helper = installHelper();
  console.log(`prebuilt ${path.relative(root, addon)} and ${path.relative(root, helper)}`);
}

main().catch((err) => {
  console.error(`prebuild: ${err.message}`);
  process.exit(1);
});
