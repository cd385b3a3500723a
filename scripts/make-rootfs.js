#!/usr/bin/env node
'use strict';
// Builds a minimal busybox rootfs from Debian's busybox-static: one static
// binary plus a symlink per applet. Used by the demo bundle and the tests.
// Usage: node scripts/make-rootfs.js <dir>
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const BUSYBOX = process.env.TS_OCI_BUSYBOX || '/bin/busybox';

function assertStaticBusybox() {
  if (!fs.existsSync(BUSYBOX)) {
    throw new Error(`${BUSYBOX} not found: install busybox-static (apt-get install -y busybox-static)`);
  }
  const head = fs.readFileSync(BUSYBOX).subarray(0, 4096).toString('latin1');
  if (head.includes('ld-linux')) throw new Error(`${BUSYBOX} is dynamically linked: install busybox-static`);
}

function makeRootfs(dir) {
  assertStaticBusybox();
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'proc', 'sys', 'dev', 'tmp', 'root', 'home', 'var']) {
    fs.mkdirSync(path.join(dir, d), { recursive: true });
  }
  fs.chmodSync(path.join(dir, 'tmp'), 0o1777);
  fs.copyFileSync(BUSYBOX, path.join(dir, 'bin/busybox'));
  fs.chmodSync(path.join(dir, 'bin/busybox'), 0o755);
  const applets = execFileSync(BUSYBOX, ['--list-full'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const applet of applets) {
    const link = path.join(dir, applet);
    if (applet === 'bin/busybox' || fs.existsSync(link)) continue;
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync('/bin/busybox', link);
  }
  fs.writeFileSync(path.join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n');
  fs.writeFileSync(path.join(dir, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
  return dir;
}

module.exports = { makeRootfs };

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: make-rootfs.js <dir>\n');
    process.exit(2);
  }
  makeRootfs(path.resolve(dir));
}
