'use strict';
// Terminal tests' tools: a console/pidfd socket receiver as engines run one
// (a unix socket server reading one SCM_RIGHTS message), a reader that
// collects a stream until a pattern shows up, and a real pty around a
// shell command (util-linux `script`, installed by .ci/run).
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawnSync } = require('child_process');
const { native } = require('../../dist/native');
const { work } = require('./integration');

let counter = 0;

/**
 * Listens on a fresh unix socket path; `received` resolves with the first
 * connection's { fd, data } (the fd is ours to close). libuv must not read
 * the connection itself (it would drop the descriptor): pauseOnConnect, and
 * the message is read with the addon once the socket is readable.
 */
async function fdReceiver() {
  const sockPath = path.join(work, `recv-${process.pid}-${++counter}.sock`);
  const server = net.createServer({ pauseOnConnect: true });
  const received = new Promise((resolve, reject) => {
    server.once('connection', (conn) => {
      const fd = conn._handle.fd;
      native().watchFd(fd, false, () => {
        native().recvFd(fd, 4096).then(resolve, reject).finally(() => conn.destroy());
      });
    });
  });
  await new Promise((resolve) => server.listen(sockPath, resolve));
  return { path: sockPath, received, close: () => server.close() };
}

/**
 * Collects all of a stream's output; `until(pattern)` resolves with the text
 * so far once it matches (rejects if the stream closes first), `closed`
 * once the stream is closed.
 */
function collect(stream) {
  const c = { text: '', done: false, waiters: [] };
  const settle = () => (c.waiters = c.waiters.filter((w) => !w()));
  stream.on('data', (d) => {
    c.text += d.toString();
    settle();
  });
  c.closed = new Promise((resolve) => stream.on('close', () => {
    c.done = true;
    settle();
    resolve(c.text);
  }));
  c.until = (pattern) => new Promise((resolve, reject) => {
    const w = () => {
      if (pattern.test(c.text)) resolve(c.text);
      else if (c.done) reject(new Error(`stream closed before ${pattern}: ${JSON.stringify(c.text)}`));
      else return false;
      return true;
    };
    if (!w()) c.waiters.push(w);
  });
  return c;
}

/**
 * Runs `command` (a shell line) with a real pty as its terminal; `input` is
 * typed into it. script's stdin is a fifo we hold open, not a pipe that
 * ends: at the end of its input script types an EOF character into the pty,
 * which would reach the container.
 */
function inPty(command, input = '') {
  const fifo = path.join(work, `pty-in-${process.pid}-${++counter}`);
  native().mkfifo(fifo, 0o600);
  const fd = fs.openSync(fifo, fs.constants.O_RDWR);
  try {
    if (input) fs.writeSync(fd, input);
    const r = spawnSync('script', ['-qec', command, '/dev/null'], { stdio: [fd, 'pipe', 'pipe'], encoding: 'utf8', timeout: 60000 });
    if (r.error) throw r.error;
    return { status: r.status, output: r.stdout.replace(/\r/g, ''), stderr: r.stderr };
  } finally {
    fs.closeSync(fd);
    fs.rmSync(fifo, { force: true });
  }
}

/** The pid a pidfd refers to, from its fdinfo. */
function pidOfPidfd(fd) {
  const m = /^Pid:\s+(-?\d+)$/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

module.exports = { fdReceiver, collect, inPty, pidOfPidfd };
