'use strict';
// Shared by the integration tests: they run as root, build real bundles on
// a busybox rootfs and drive bin/ts-oci (or the library) against them.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { makeRootfs } = require('../../scripts/make-rootfs');

const repo = path.resolve(__dirname, '../..');
const bin = path.join(repo, 'bin/ts-oci');
// TS_OCI_TEST_WORK moves the scratch space out of the checkout (the VM
// suites see the checkout read-only).
const work = process.env.TS_OCI_TEST_WORK ? path.resolve(process.env.TS_OCI_TEST_WORK) : path.join(repo, 'test/.work');
let templateRootfs;
let counter = 0;
const bundles = [];

/** Fails loudly (never skips) when a prerequisite is missing. */
function requirePrerequisites() {
  if (process.getuid() !== 0) throw new Error('integration tests must run as root');
  if (!fs.existsSync('/bin/busybox')) throw new Error('busybox-static is not installed (/bin/busybox missing)');
  if (!fs.existsSync(path.join(repo, 'dist/index.js'))) throw new Error('dist/ missing: run npm run build:all');
}

function template() {
  if (!templateRootfs) {
    // Per process: parallel test runs must not rebuild each other's template mid-copy.
    templateRootfs = path.join(work, `rootfs-template-${process.pid}`);
    fs.rmSync(templateRootfs, { recursive: true, force: true });
    makeRootfs(templateRootfs);
    process.on('exit', () => fs.rmSync(templateRootfs, { recursive: true, force: true }));
  }
  return templateRootfs;
}

/** A fresh state root for one test file. */
function stateRoot() {
  fs.mkdirSync(work, { recursive: true });
  return fs.mkdtempSync(path.join(work, 'root-'));
}

/** A bundle with its own copy of the rootfs; `edit(config)` adjusts the default config. */
function makeBundle(edit) {
  const { defaultSpec } = require('../../dist/index.js');
  const dir = fs.mkdtempSync(path.join(work, 'bundle-'));
  bundles.push(dir);
  fs.cpSync(template(), path.join(dir, 'rootfs'), { recursive: true, verbatimSymlinks: true });
  const config = defaultSpec();
  config.process.terminal = false;
  config.root.readonly = false;
  if (edit) edit(config);
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config, null, 2));
  return dir;
}

function uniqueId(prefix = 'c') {
  return `${prefix}-${process.pid}-${++counter}`;
}

/**
 * Runs the CLI; stdin is /dev/null unless given. Output goes through files,
 * not pipes: a created container inherits the CLI's stdio and would hold a
 * pipe open long after the CLI exited (as with runc).
 */
function cli(root, args, opts = {}) {
  fs.mkdirSync(work, { recursive: true });
  const outFile = path.join(work, `out-${process.pid}`);
  const errFile = path.join(work, `err-${process.pid}`);
  const out = fs.openSync(outFile, 'w+');
  const err = fs.openSync(errFile, 'w+');
  try {
    const r = spawnSync(bin, ['--root', root, ...args], {
      input: opts.input,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', out, err],
      timeout: opts.timeout ?? 60000,
      env: { ...process.env, ...(opts.env || {}) },
    });
    if (r.error) throw r.error;
    return { status: r.status, stdout: fs.readFileSync(outFile, 'utf8'), stderr: fs.readFileSync(errFile, 'utf8') };
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
  }
}

/** `run` a container whose args are `sh -c script`; returns its output and status. */
function runScript(root, script, edit) {
  const bundle = makeBundle((c) => {
    c.process.args = ['sh', '-c', script];
    if (edit) edit(c);
  });
  const id = uniqueId('run');
  const r = cli(root, ['run', '-b', bundle, id]);
  return { ...r, id, bundle };
}

/** `runScript` that must succeed with nothing on stderr; returns its stdout. */
function runOk(root, script, edit) {
  const r = runScript(root, script, edit);
  if (r.stderr !== '' || r.status !== 0) throw new Error(`status ${r.status}, stderr: ${r.stderr}`);
  return r.stdout;
}

/** lchown of `dir` and everything below it (a rootfs for mapped or unprivileged ids). */
function chownTree(dir, uid, gid) {
  fs.lchownSync(dir, uid, gid);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else fs.lchownSync(p, uid, gid);
  }
}

/** One-letter state from /proc/<pid>/stat ('Z' for a zombie), undefined once the pid is gone. */
function processState(pid) {
  try {
    return /\) (\S)/.exec(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'))[1];
  } catch {
    return undefined;
  }
}

/** Polls `cond` (an event, not a duration, ends the wait); throws naming `what` after ~10s. */
function waitFor(cond, what) {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    spawnSync('sleep', ['0.05']);
  }
  throw new Error(what ? `condition not reached: ${what}` : 'condition not reached');
}

/** Force-deletes every container left under `root`, then removes the root and this process's bundles. */
function cleanup(root) {
  if (root && fs.existsSync(root)) {
    for (const id of fs.readdirSync(root)) cli(root, ['delete', '--force', id]);
    fs.rmSync(root, { recursive: true, force: true });
  }
  for (const dir of bundles.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

module.exports = { repo, bin, work, requirePrerequisites, stateRoot, makeBundle, uniqueId, cli, runScript, runOk, chownTree, processState, waitFor, cleanup };
