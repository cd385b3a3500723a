'use strict';
// The addon's file-system calls, cgroupfs batches and error objects. Process
// calls (spawn, pidfds, the exec fifo) are in native-process.test.js.
const { expect } = require('chai');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const { native, packageRoot } = require('../../dist/native');
const { ContainerSystemError } = require('../../dist/errors');
const { catchError } = require('../helpers/catch-error');

/** Resolves once `predicate(line)` holds for a line the child printed. */
function waitForLine(child, predicate) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (chunk) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop();
      if (lines.some(predicate)) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before the expected line`)));
  });
}

/** Resolves once /proc/locks shows a blocked OFD lock request on inode `ino` (or `giveUp()`). */
function waitForBlockedLock(ino, giveUp) {
  return new Promise((resolve) => {
    const check = () => {
      if (giveUp()) return resolve(false);
      const blocked = fs
        .readFileSync('/proc/locks', 'utf8')
        .split('\n')
        .some((l) => /->\s+OFDLCK/.test(l) && l.includes(`:${ino} `));
      if (blocked) resolve(true);
      else setTimeout(check, 10);
    };
    check();
  });
}

describe('native addon: files, cgroupfs, errors', () => {
  let tmp;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-native-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reports its version and the plan version it speaks', () => {
    const v = native().version();
    expect(v.addon).to.equal(require('../../package.json').version);
    expect(v.planVersion).to.be.a('number').that.is.at.least(1);
  });

  it('exports exactly the NativeBinding functions', () => {
    expect(Object.keys(native()).sort()).to.deep.equal(
      [
        'setErrorClass', 'spawn', 'spawnRelease', 'spawnExecStatus', 'pidfdOpen', 'pidfdSendSignal', 'pidfdExited', 'watchPidfd', 'waitPidfd',
        'startViaFifo', 'cgroupApply', 'cgroupApplyAsync', 'mkfifo', 'tryLockFile', 'lockFileWait', 'close', 'recvFd', 'sendFd', 'connectUnix',
        'pipe', 'version',
        // user namespaces (lib/runtime/user-namespace.ts, idmapped mounts)
        'writeIdMaps', 'mappedUserns', 'idmappedTree',
        // terminals
        'ptyMaster', 'ptySetSize', 'watchFd', 'unwatchFd',
        // seccomp (lib/seccomp/)
        'seccompCompile', 'seccompLibraryInfo', 'seccompLibraryProbe', 'seccompActionAvailable', 'seccompFlagSupported',
        // cgroup2 device programs (lib/cgroups/device-program.ts)
        'bpfLoadDeviceProgram', 'bpfAttachDevice', 'bpfQueryDevice', 'bpfProgFdById', 'bpfDetachDevice',
        // cgroup v1 OOM eventfd (lib/cgroups/oom-watch.ts)
        'oomEventfd', 'eventfdRead', 'eventfdWrite',
        // linux.netDevices (lib/runtime/net-devices.ts)
        'netdevAddresses', 'netdevMove',
      ].sort(),
    );
  });

  describe('errors', () => {
    it('are instances of the class handed to setErrorClass, with SystemError fields', () => {
      const e = catchError(() => native().mkfifo(path.join(tmp, 'missing', 'fifo'), 0o600));
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e.code).to.equal('ENOENT');
      expect(e.errno).to.equal(2);
      expect(e.syscall).to.equal('mkfifo');
      expect(e.path).to.equal(path.join(tmp, 'missing', 'fifo'));
      expect(e.message).to.equal(`mkfifo ${path.join(tmp, 'missing', 'fifo')}: ENOENT`);
    });

    it('leave out the path when the call has none', () => {
      const e = catchError(() => native().close(987654));
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'EBADF', errno: 9, syscall: 'close' });
      expect(e.path).to.equal(undefined);
    });

    it('are TypeErrors for malformed arguments', () => {
      expect(() => native().mkfifo(42, 0o600)).to.throw(TypeError, /path must be a string/);
      expect(() => native().mkfifo('a\0b', 0o600)).to.throw(TypeError, /NUL/);
      expect(() => native().close(-1)).to.throw(TypeError, /fd must be an integer/);
      expect(() => native().close(1.5)).to.throw(TypeError);
      expect(() => native().cgroupApply([{ op: 'chmod', path: tmp }])).to.throw(TypeError, /unknown op/);
      expect(() => native().setErrorClass('nope')).to.throw(TypeError);
    });
  });

  describe('mkfifo', () => {
    it('creates a FIFO with the given mode', () => {
      const p = path.join(tmp, 'exec.fifo');
      native().mkfifo(p, 0o600);
      const st = fs.statSync(p);
      expect(st.isFIFO()).to.equal(true);
      expect(st.mode & 0o777).to.equal(0o600);
    });

    it('refuses an existing path with EEXIST', () => {
      const p = path.join(tmp, 'exec.fifo');
      native().mkfifo(p, 0o600);
      const e = catchError(() => native().mkfifo(p, 0o600));
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'EEXIST', syscall: 'mkfifo', path: p });
    });
  });

  describe('tryLockFile / lockFileWait', () => {
    it('creates the file 0600 and returns a close-on-exec fd', () => {
      const p = path.join(tmp, 'lock');
      const fd = native().tryLockFile(p);
      try {
        expect(fd).to.be.at.least(0);
        expect(fs.statSync(p).mode & 0o777).to.equal(0o600);
        const flags = fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').match(/flags:\s+(\d+)/)[1];
        expect(parseInt(flags, 8) & 0o2000000, 'O_CLOEXEC').to.not.equal(0);
      } finally {
        native().close(fd);
      }
    });

    it('tryLockFile returns -1 (and leaks no fd) while another open file description holds the lock', () => {
      const p = path.join(tmp, 'lock');
      const fd = native().tryLockFile(p);
      try {
        const before = fs.readdirSync('/proc/self/fd').length;
        expect(native().tryLockFile(p)).to.equal(-1);
        expect(fs.readdirSync('/proc/self/fd').length).to.equal(before);
      } finally {
        native().close(fd);
      }
      const again = native().tryLockFile(p);
      expect(again).to.be.at.least(0);
      native().close(again);
    });

    it('lockFileWait waits on the threadpool while the loop keeps turning, and resolves once the holder closes', async () => {
      const p = path.join(tmp, 'lock');
      const fd = native().tryLockFile(p);
      let resolved = false;
      const waiting = native().lockFileWait(p).then((wfd) => { resolved = true; return wfd; });
      // The loop turns (these immediates run) although the lock is held.
      for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      expect(resolved).to.equal(false);
      native().close(fd);
      const wfd = await waiting;
      expect(wfd).to.be.at.least(0);
      native().close(wfd);
    });

    it('lockFileWait rejects with the path when the file cannot be opened', async () => {
      const missing = path.join(tmp, 'no-such-dir', 'lock');
      let e;
      try { await native().lockFileWait(missing); } catch (err) { e = err; }
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'ENOENT', syscall: 'open', path: missing });
    });

    it('makes a second locker in another process wait until the first fd is closed', async () => {
      const p = path.join(tmp, 'lock');
      const fd = native().tryLockFile(p);
      const script = `
        const { native } = require(${JSON.stringify(path.join(packageRoot, 'dist', 'native'))});
        native().lockFileWait(${JSON.stringify(p)}).then((fd) => {
          process.stdout.write('locked\\n');
          native().close(fd);
        });`;
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const events = [];
      const locked = waitForLine(child, (l) => l === 'locked').then(() => events.push('child locked'));
      // If the lock did not block, 'child locked' comes first and the order check fails.
      if (await waitForBlockedLock(fs.statSync(p).ino, () => events.length > 0 || child.exitCode !== null)) {
        events.push('child blocked');
      }
      native().close(fd);
      events.push('parent closed');
      await locked;
      expect(await exited).to.equal(0);
      expect(events).to.deep.equal(['child blocked', 'parent closed', 'child locked']);
    });
  });

  describe('cgroupApply', () => {
    // A directory laid out like a cgroup v1 controller: files exist, nothing is created.
    function fakeController() {
      const dir = path.join(tmp, 'memory');
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'memory.limit_in_bytes'), '9223372036854771712\n');
      return dir;
    }

    it('runs mkdir, write and rmdir in order', () => {
      const ctl = fakeController();
      const cg = path.join(ctl, 'c1');
      native().cgroupApply([
        { op: 'mkdir', path: cg },
        { op: 'mkdir', path: cg }, // idempotent
      ]);
      fs.writeFileSync(path.join(cg, 'memory.limit_in_bytes'), '');
      native().cgroupApply([{ op: 'write', path: path.join(cg, 'memory.limit_in_bytes'), value: '1048576' }]);
      expect(fs.readFileSync(path.join(cg, 'memory.limit_in_bytes'), 'utf8')).to.equal('1048576');
      fs.rmSync(path.join(cg, 'memory.limit_in_bytes'));
      native().cgroupApply([
        { op: 'rmdir', path: cg },
        { op: 'rmdir', path: cg }, // a missing directory is fine
      ]);
      expect(fs.existsSync(cg)).to.equal(false);
    });

    it('cgroupApplyAsync applies the same batch on the threadpool, and rejects with the failing path', async () => {
      const ctl = fakeController();
      const file = path.join(ctl, 'memory.limit_in_bytes');
      await native().cgroupApplyAsync([{ op: 'mkdir', path: path.join(ctl, 'c1') }, { op: 'write', path: file, value: '42' }]);
      expect(fs.existsSync(path.join(ctl, 'c1'))).to.equal(true);
      expect(fs.readFileSync(file, 'utf8')).to.match(/^42/);
      const missing = path.join(ctl, 'memory.kmem.limit_in_bytes');
      const e = await native().cgroupApplyAsync([{ op: 'write', path: missing, value: '1' }, { op: 'mkdir', path: path.join(ctl, 'after') }])
        .catch((err) => err);
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'ENOENT', syscall: 'open', path: missing });
      expect(fs.existsSync(path.join(ctl, 'after'))).to.equal(false);
      expect(() => native().cgroupApplyAsync([{ op: 'chmod', path: file }])).to.throw(TypeError, /unknown op/);
    });

    it('writes without O_TRUNC or O_CREAT, as cgroupfs expects', () => {
      const file = path.join(fakeController(), 'memory.limit_in_bytes');
      fs.writeFileSync(file, '0123456789');
      native().cgroupApply([{ op: 'write', path: file, value: 'ab' }]);
      expect(fs.readFileSync(file, 'utf8')).to.equal('ab23456789');
    });

    it('reports a missing controller file as ENOENT with the path, and stops there', () => {
      const ctl = fakeController();
      const missing = path.join(ctl, 'memory.kmem.limit_in_bytes');
      const e = catchError(() =>
        native().cgroupApply([
          { op: 'write', path: missing, value: '1' },
          { op: 'mkdir', path: path.join(ctl, 'after') },
        ]),
      );
      expect(e).to.be.instanceOf(ContainerSystemError);
      expect(e).to.include({ code: 'ENOENT', errno: 2, syscall: 'open', path: missing });
      expect(fs.existsSync(missing), 'no O_CREAT').to.equal(false);
      expect(fs.existsSync(path.join(ctl, 'after')), 'later ops do not run').to.equal(false);
    });

    it('reports a non-empty rmdir and a mkdir under a file with the syscall', () => {
      const ctl = fakeController();
      const rm = catchError(() => native().cgroupApply([{ op: 'rmdir', path: ctl }]));
      expect(rm).to.include({ code: 'ENOTEMPTY', syscall: 'rmdir', path: ctl });
      const file = path.join(ctl, 'memory.limit_in_bytes', 'sub');
      const mk = catchError(() => native().cgroupApply([{ op: 'mkdir', path: file }]));
      expect(mk).to.include({ code: 'ENOTDIR', syscall: 'mkdir', path: file });
    });

    it('validates the whole batch before running any of it', () => {
      const cg = path.join(fakeController(), 'c2');
      expect(() => native().cgroupApply([{ op: 'mkdir', path: cg }, { op: 'write', path: cg }])).to.throw(TypeError);
      expect(fs.existsSync(cg)).to.equal(false);
    });
  });
});

describe('native addon: network devices', () => {
  const { native } = require('../../dist/native');
  it('netdevAddresses: ENODEV (with the name) for a device that does not exist', () => {
    let err;
    try {
      native().netdevAddresses('tsoci-none0');
    } catch (e) {
      err = e;
    }
    expect(err).to.include({ code: 'ENODEV', path: 'tsoci-none0' });
  });

  it('netdevAddresses: lo has an index and no global permanent address records', () => {
    const { index, addresses } = native().netdevAddresses('lo');
    expect(index).to.be.a('number').above(0);
    expect(addresses.length % 40).to.equal(0);
  });
});
