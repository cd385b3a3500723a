'use strict';
// The addon's process calls without root: spawn() with no namespaces, pidfds
// of our own children and of foreign processes, and the exec fifo protocol
// of `start` played by plain node processes.
const { expect } = require('chai');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawn } = require('child_process');
const { native, helperPath } = require('../../dist/native');
const { ContainerSystemError } = require('../../dist/errors');
const { catchError } = require('../helpers/catch-error');

const SIGKILL = 9;
const O_CLOEXEC = 0o2000000;

function isCloexec(fd) {
  const flags = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').match(/flags:\s+(\d+)/)[1];
  return (parseInt(flags, 8) & O_CLOEXEC) !== 0;
}

/** A `sleep` whose parent has exited: it is not our child, so we cannot reap it. */
function foreignSleep() {
  return Number(execFileSync('sh', ['-c', 'sleep 1000 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).trim());
}

/** Polls until `predicate()` holds (an event, not a duration, ends the wait). */
function until(predicate) {
  return new Promise((resolve) => {
    const check = () => (predicate() ? resolve() : setTimeout(check, 10));
    check();
  });
}

/** Runs `body` (JS source, with `fifo` in scope) in a node child; returns it and its pidfd. */
function fifoPeer(fifo, body) {
  const child = spawn(process.execPath, ['-e', `const fs = require('fs'); const fifo = process.argv[1]; ${body}`, fifo], {
    stdio: 'ignore',
  });
  // Opened before the event loop can run libuv's reaping of the child.
  return { child, pidfd: native().pidfdOpen(child.pid) };
}

// Opens the fifo for writing only once a reader exists (ENXIO until then), so
// the writer is guaranteed to connect after startViaFifo's open.
const OPEN_WHEN_READER = `
  const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  let fd;
  for (;;) {
    try { fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK); break; }
    catch (e) { if (e.code !== 'ENXIO') throw e; sleep(5); }
  }`;

describe('native addon: processes', () => {
  let tmp;
  const fds = [];
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-native-'));
  });
  afterEach(() => {
    while (fds.length) native().close(fds.pop());
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function spawnHelper() {
    const r = native().spawn({ helperPath: helperPath(), cloneFlags: 0, cgroupFd: -1, preserveFds: 0 });
    fds.push(r.syncFd, r.pidfd);
    return r;
  }

  describe('spawn', () => {
    it('starts the helper as our child with a pidfd and a close-on-exec sync socket', () => {
      const r = spawnHelper();
      expect(r.pid).to.be.a('number').above(1);
      expect(fs.fstatSync(r.syncFd).isSocket()).to.equal(true);
      expect(isCloexec(r.syncFd)).to.equal(true);
      expect(isCloexec(r.pidfd)).to.equal(true);
      expect(fs.readFileSync(`/proc/self/fdinfo/${r.pidfd}`, 'utf8')).to.match(new RegExp(`^Pid:\\s+${r.pid}$`, 'm'));
      // The helper waits for its plan on the socket: alive until we act.
      expect(native().pidfdExited(r.pidfd)).to.equal(false);
      native().pidfdSendSignal(r.pidfd, SIGKILL);
      expect(native().waitPidfd(r.pidfd)).to.deep.equal({ status: 128 + SIGKILL, signal: SIGKILL });
      expect(native().pidfdExited(r.pidfd)).to.equal(true);
      expect(native().waitPidfd(r.pidfd), 'already reaped').to.equal(null);
    });

    it('refuses a preserved slot that is not open (EBADF) instead of filling it with its own fds', () => {
      const open = new Set(fs.readdirSync('/proc/self/fd').map(Number));
      let closed = 3;
      while (open.has(closed)) closed++;
      // Before the fix our end of the sync socket took the free slot and went to the container.
      const e = catchError(() => native().spawn({ helperPath: helperPath(), cloneFlags: 0, cgroupFd: -1, preserveFds: closed - 2 }));
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'EBADF', syscall: 'fcntl' });
      // The listing's own directory fd was open while it was read: the first closed slot may be that one.
      expect(Number(/^preserved fd (\d+)$/.exec(e.path)[1])).to.be.within(3, closed);
    });

    it('reports a helper that cannot be executed as an execveat error', () => {
      const bogus = path.join(tmp, 'not-elf');
      fs.writeFileSync(bogus, 'not an executable\n', { mode: 0o755 });
      const e = catchError(() => native().spawn({ helperPath: bogus, cloneFlags: 0, cgroupFd: -1, preserveFds: 0 }));
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'ENOEXEC', syscall: 'execveat', path: bogus });
    });

    it('deferExecCheck: spawn returns the status pipe at once; spawnExecStatus reports the exec once it is readable', async () => {
      const readable = (fd) => new Promise((resolve) => native().watchFd(fd, false, resolve));
      const bogus = path.join(tmp, 'not-elf-deferred');
      fs.writeFileSync(bogus, 'not an executable\n', { mode: 0o755 });
      const bad = native().spawn({ helperPath: bogus, cloneFlags: 0, cgroupFd: -1, preserveFds: 0, deferExecCheck: true });
      native().close(bad.syncFd);
      await readable(bad.statusFd);
      const e = catchError(() => native().spawnExecStatus(bad.pidfd, bad.statusFd, bogus));
      expect(e).to.include({ code: 'ENOEXEC', syscall: 'execveat', path: bogus });
      // Reaped by spawnExecStatus: no zombie is left.
      expect(fs.existsSync(`/proc/${bad.pid}`)).to.equal(false);
      native().close(bad.pidfd);
      const good = native().spawn({ helperPath: helperPath(), cloneFlags: 0, cgroupFd: -1, preserveFds: 0, deferExecCheck: true });
      await readable(good.statusFd);
      native().spawnExecStatus(good.pidfd, good.statusFd, helperPath());
      expect(fs.readlinkSync(`/proc/${good.pid}/exe`)).to.equal('/memfd:ts-oci-init (deleted)');
      native().close(good.syncFd); // EOF: the helper exits
      expect(native().waitPidfd(good.pidfd).status).to.be.a('number');
      native().close(good.pidfd);
      expect(() => native().spawn({ helperPath: helperPath(), cloneFlags: 0, cgroupFd: -1, preserveFds: 0, deferExecCheck: 1 }))
        .to.throw(TypeError, /deferExecCheck/);
    });

    it('reports a missing helper with its path', () => {
      const missing = path.join(tmp, 'missing');
      const e = catchError(() => native().spawn({ helperPath: missing, cloneFlags: 0, cgroupFd: -1, preserveFds: 0 }));
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'ENOENT', syscall: 'open', path: missing });
    });

    it('accepts only CLONE_NEW* flags', () => {
      const CLONE_VM = 0x100;
      expect(() =>
        native().spawn({ helperPath: helperPath(), cloneFlags: CLONE_VM, cgroupFd: -1, preserveFds: 0 }),
      ).to.throw(TypeError, /CLONE_NEW/);
    });
  });

  describe('pipe', () => {
    it('returns a close-on-exec pipe', () => {
      const [r, w] = native().pipe();
      fds.push(r, w);
      expect(isCloexec(r) && isCloexec(w)).to.equal(true);
      fs.writeSync(w, 'x');
      const buf = Buffer.alloc(1);
      expect(fs.readSync(r, buf, 0, 1, null)).to.equal(1);
      expect(buf.toString()).to.equal('x');
    });

    it('spawn refuses malformed stdio and pass fds', () => {
      const opts = { helperPath: helperPath(), cloneFlags: 0, cgroupFd: -1, preserveFds: 0 };
      expect(() => native().spawn({ ...opts, stdio: [0, 1, 2, 3] })).to.throw(TypeError, /stdio/);
      expect(() => native().spawn({ ...opts, passFds: [-1] })).to.throw(TypeError, /passFds/);
      expect(() => native().spawn({ ...opts, passFds: new Array(49).fill(0) })).to.throw(TypeError, /passFds/);
      expect(() => native().spawn({ ...opts, holdForMaps: 1 })).to.throw(TypeError, /holdForMaps/);
      // Holding is only for a child in a new user namespace, whose maps the runtime writes.
      expect(() => native().spawn({ ...opts, holdForMaps: true })).to.throw(TypeError, /CLONE_NEWUSER/);
    });
  });

  describe('pidfds', () => {
    it('watchPidfd calls back once with the exit status of our child', async () => {
      const r = spawnHelper();
      const status = new Promise((resolve) => native().watchPidfd(r.pidfd, resolve));
      native().pidfdSendSignal(r.pidfd, SIGKILL);
      expect(await status).to.deep.equal({ status: 137, signal: SIGKILL });
    });

    it('watchPidfd calls back with null for a process that is not our child', async () => {
      const pid = foreignSleep();
      const pidfd = native().pidfdOpen(pid);
      fds.push(pidfd);
      expect(native().pidfdExited(pidfd)).to.equal(false);
      expect(native().waitPidfd(pidfd), 'waitid: ECHILD').to.equal(null);
      const status = new Promise((resolve) => native().watchPidfd(pidfd, resolve));
      native().pidfdSendSignal(pidfd, SIGKILL);
      expect(await status).to.equal(null);
      expect(native().pidfdExited(pidfd)).to.equal(true);
    });

    it('watchPidfd leaves the pidfd blocking for a later waitPidfd', async () => {
      const r = spawnHelper();
      const other = native().pidfdOpen(r.pid);
      fds.push(other);
      const watched = new Promise((resolve) => native().watchPidfd(other, resolve));
      native().pidfdSendSignal(r.pidfd, SIGKILL);
      const first = await watched;
      expect(first).to.deep.equal({ status: 137, signal: SIGKILL });
      const flags = fs.readFileSync(`/proc/self/fdinfo/${other}`, 'utf8').match(/flags:\s+(\d+)/)[1];
      expect(parseInt(flags, 8) & fs.constants.O_NONBLOCK, 'O_NONBLOCK').to.equal(0);
    });

    it('pidfdSendSignal throws ESRCH once the process is gone', () => {
      const r = spawnHelper();
      native().pidfdSendSignal(r.pidfd, SIGKILL);
      native().waitPidfd(r.pidfd);
      const e = catchError(() => native().pidfdSendSignal(r.pidfd, 15));
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'ESRCH', syscall: 'pidfd_send_signal' });
    });

    it('pidfdOpen throws ESRCH for a pid that does not exist', () => {
      const e = catchError(() => native().pidfdOpen(0x3fffffff));
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'ESRCH', syscall: 'pidfd_open' });
    });

    it('pidfdExited throws EBADF for an fd that is not open', () => {
      expect(() => native().pidfdExited(987654)).to.throw(ContainerSystemError, /EBADF/);
    });
  });

  describe('startViaFifo', () => {
    let fifo;
    beforeEach(() => {
      fifo = path.join(tmp, 'exec.fifo');
      native().mkfifo(fifo, 0o622);
    });

    it('returns null when the writer closes without writing (the exec case)', async () => {
      const { pidfd } = fifoPeer(fifo, `${OPEN_WHEN_READER}; fs.closeSync(fd); setTimeout(() => {}, 100000);`);
      fds.push(pidfd);
      expect(await native().startViaFifo(fifo, pidfd)).to.equal(null);
      native().pidfdSendSignal(pidfd, SIGKILL);
    });

    it('returns every byte written, across several writes, once the writer is gone', async () => {
      const { pidfd } = fifoPeer(
        fifo,
        `${OPEN_WHEN_READER}; fs.writeSync(fd, 'first,'); sleep(50); fs.writeSync(fd, 'second'); process.exit(1);`,
      );
      fds.push(pidfd);
      expect((await native().startViaFifo(fifo, pidfd)).toString()).to.equal('first,second');
    });

    it('keeps the event loop turning while it waits for the writer', async () => {
      const { pidfd } = fifoPeer(fifo, `${OPEN_WHEN_READER}; sleep(300); fs.closeSync(fd); setTimeout(() => {}, 100000);`);
      fds.push(pidfd);
      let ticks = 0;
      const timer = setInterval(() => { ticks++; }, 5);
      try {
        expect(await native().startViaFifo(fifo, pidfd)).to.equal(null);
      } finally {
        clearInterval(timer);
        native().pidfdSendSignal(pidfd, SIGKILL);
      }
      // The writer sleeps synchronously after the reader appeared: the timer
      // could only fire if the poll ran off the main thread.
      expect(ticks).to.be.at.least(3);
    });

    it('works when the writer was already blocked in open() before start', async () => {
      const { child, pidfd } = fifoPeer(fifo, `const fd = fs.openSync(fifo, 'w'); fs.writeSync(fd, 'record');`);
      fds.push(pidfd);
      // wait_for_partner: the writer is inside open(O_WRONLY), waiting for a reader.
      await until(() => {
        try {
          return fs.readFileSync(`/proc/${child.pid}/wchan`, 'utf8') === 'wait_for_partner';
        } catch {
          return false;
        }
      });
      expect((await native().startViaFifo(fifo, pidfd)).toString()).to.equal('record');
    });

    it('rejects with ESRCH when the process dies before it ever opens the fifo', async () => {
      const { pidfd } = fifoPeer(fifo, 'process.exit(3);');
      fds.push(pidfd);
      const e = await native().startViaFifo(fifo, pidfd).catch((err) => err);
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'ESRCH', syscall: 'start', path: fifo });
    });

    it('rejects with ENOENT with the path when there is no fifo', async () => {
      const { pidfd } = fifoPeer(fifo, 'setTimeout(() => {}, 100000);');
      fds.push(pidfd);
      const missing = path.join(tmp, 'gone.fifo');
      const e = await native().startViaFifo(missing, pidfd).catch((err) => err);
      native().pidfdSendSignal(pidfd, SIGKILL);
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'ENOENT', syscall: 'open', path: missing });
    });
  });
});
