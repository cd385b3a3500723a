'use strict';
// Shared by the engine suites (test/engines/): the busybox rootfs as a
// tarball for `docker import` / `podman import` (no registry is reachable),
// and the fixed paths of Debian's engine binaries (a client elsewhere on
// PATH, e.g. /usr/local/bin/docker, is the host's incidental state).
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { makeRootfs } = require('../../scripts/make-rootfs');
const h = require('./integration');

const BIN = {
  dockerd: '/usr/sbin/dockerd',
  docker: '/usr/bin/docker',
  podman: '/usr/bin/podman',
  conmon: '/usr/bin/conmon',
  containerd: '/usr/bin/containerd',
  ctr: '/usr/bin/ctr',
  shim: '/usr/bin/containerd-shim-runc-v2',
  runc: '/usr/sbin/runc',
};

/** Fails loudly (never skips) when an engine binary is missing. */
function requireEngine(...names) {
  for (const n of names) {
    if (!fs.existsSync(BIN[n])) throw new Error(`${BIN[n]} missing: .ci/run installs the engines (docker.io podman conmon containerd)`);
  }
}

/** A scratch directory for one engine's state, under the tests' work dir. */
function engineDir(name) {
  const base = path.join(h.work, 'engines');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${name}-`));
}

let tarball;
/** The busybox rootfs as a tar file (once per process, removed at exit). */
function rootfsTarball() {
  if (!tarball) {
    const dir = engineDir('rootfs');
    makeRootfs(path.join(dir, 'rootfs'));
    tarball = path.join(dir, 'busybox.tar');
    execFileSync('tar', ['-C', path.join(dir, 'rootfs'), '--numeric-owner', '-cf', tarball, '.']);
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return tarball;
}

module.exports = { BIN, requireEngine, engineDir, rootfsTarball, bin: h.bin, repo: h.repo };
