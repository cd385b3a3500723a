'use strict';
// Drives ts-oci-init directly with a hand-written launch plan: encodes the
// ops with dist/plan/encode.js, spawns `ts-oci-init --sync-fd 3` with a
// socketpair on fd 3 (libuv makes stdio pipes socketpairs), sends the
// FRAME_PLAN, ACKs every FRAME_SYNC and collects the frames coming back.
//
//   node test/helpers/run-plan.js <ts-oci-init> <plan.json | plan.js>
//
// Run it as root inside `unshare --mount --pid --fork --uts --ipc --net
// --mount-proc`; the CLI wraps the helper in its own mount+uts namespace.
// A plan.js module exports the op array (so it may use BigInt and Buffer);
// JSON plans may give `bpf` as base64. Frames are printed one JSON per line.
const { spawn } = require('child_process');
const path = require('path');

const FRAME = { PLAN: 1, ACK: 2, SYNC: 10, ERROR: 11, CREATED: 12 };
const { decodeErrorRecord } = require('../../dist/runtime/error-record');

function loadEncoder() {
  const dist = process.env.TSOCI_PLAN_DIST || path.resolve(__dirname, '../../dist/plan');
  return require(path.join(dist, 'encode.js'));
}

function frame(type, payload = Buffer.alloc(0)) {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

function describeFrame(type, payload) {
  switch (type) {
    case FRAME.SYNC: return { frame: 'sync', tag: Number(payload.readBigInt64LE(0)) };
    case FRAME.CREATED: return { frame: 'created' };
    case FRAME.ERROR: return { frame: 'error', ...decodeErrorRecord(payload) };
    default: return { frame: 'unknown', type, length: payload.length };
  }
}

/**
 * Runs `ops` (PlanOp[]) through the helper. Resolves with
 * { code, signal, frames, stdout, stderr } once the helper exits; `onFrame` sees
 * each frame as it arrives. `payload` overrides the encoded plan (raw
 * bytes); `stdio` is one value or an array for fds 0-2 (stdout and
 * stderr are collected when 'pipe'). `wrap` prefixes the command, e.g.
 * ['unshare', '--mount', '--uts']: a helper that pivots changes the root
 * of every process in its mount namespace, so give each its own.
 * `extraFds` become fds 4, 5... of the helper (leak tests). `preserved`
 * are the fds 3.. before the sync socket (the --preserve-fds slots; 'ignore'
 * leaves one closed). `raw` replaces the framed plan with these socket
 * bytes; `uid`/`gid` run the helper unprivileged.
 */
function runPlan(helper, ops, { onFrame = () => {}, payload, raw, stdio = 'inherit', ack = true, wrap = [], extraFds = [], preserved = [], uid, gid } = {}) {
  const plan = payload || loadEncoder().encodePlan(ops);
  const io = Array.isArray(stdio) ? stdio : [stdio, stdio, stdio];
  const syncFd = 3 + preserved.length;
  const argv = [...wrap, helper, '--sync-fd', String(syncFd)];
  const child = spawn(argv[0], argv.slice(1), { stdio: [...io, ...preserved, 'pipe', ...extraFds], uid, gid });
  const sock = child.stdio[syncFd];
  const frames = [];
  let stdout = '';
  let stderr = '';
  if (child.stdout) child.stdout.on('data', (d) => { stdout += d; });
  if (child.stderr) child.stderr.on('data', (d) => { stderr += d; });
  let buf = Buffer.alloc(0);
  sock.on('data', (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 8 && buf.length >= 8 + buf.readUInt32LE(4)) {
      const type = buf.readUInt32LE(0);
      const body = buf.subarray(8, 8 + buf.readUInt32LE(4));
      buf = buf.subarray(8 + body.length);
      const f = describeFrame(type, body);
      frames.push(f);
      onFrame(f, child);
      if (type === FRAME.SYNC && ack) sock.write(frame(FRAME.ACK));
    }
  });
  sock.on('error', () => {});
  // `raw`: these bytes on the socket instead of a PLAN frame (decoder tests).
  if (raw) sock.end(raw);
  else sock.write(frame(FRAME.PLAN, plan));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, frames, stdout, stderr, pid: child.pid }));
  });
}

function loadPlan(file) {
  const abs = path.resolve(file);
  const ops = abs.endsWith('.js') ? require(abs) : JSON.parse(require('fs').readFileSync(abs, 'utf8'));
  for (const op of ops) if (typeof op.bpf === 'string') op.bpf = Buffer.from(op.bpf, 'base64');
  return ops;
}

if (require.main === module) {
  const [helper, planFile] = process.argv.slice(2);
  if (!helper || !planFile) {
    process.stderr.write('usage: node test/helpers/run-plan.js <ts-oci-init> <plan.json|plan.js>\n');
    process.exit(2);
  }
  runPlan(helper, loadPlan(planFile), {
    wrap: ['unshare', '--mount', '--uts', '--propagation', 'unchanged'],
    onFrame: (f, child) => process.stdout.write(`${JSON.stringify({ pid: child.pid, ...f })}\n`),
  }).then(({ code, signal }) => {
    process.stdout.write(`${JSON.stringify({ exit: code, signal })}\n`);
    process.exitCode = code === null ? 1 : code;
  });
}

module.exports = { runPlan };
