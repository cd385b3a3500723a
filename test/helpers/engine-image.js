'use strict';
// Shared by the engine suites (test/engines/): the busybox rootfs as a
// tarball for `docker import` / `podman import` (no registry is reachable),
// and the fixed paths of Debian's engine binaries (a client elsewhere on
// PATH, e.g. /usr/local/bin/docker, is the host's incidental state).
const fs = require('fs');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
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

/** An engine's client, synchronously; stdin /dev/null unless `input`. Returns { status, stdout, stderr }. */
function runClient(file, args, opts = {}) {
  const r = spawnSync(file, args, {
    env: opts.env,
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeout ?? 90000,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The stdout of a client run that had to succeed; else throws naming the command and its stderr. */
function okOutput(name, args, r) {
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** A word for sh -c: bare when safe, else single-quoted. */
function quote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${String(s).replace(/'/g, "'\\''")}'`;
}

module.exports = { BIN, requireEngine, engineDir, rootfsTarball, runClient, okOutput, quote, bin: h.bin, repo: h.repo };
