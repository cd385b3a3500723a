'use strict';
// Regression probes for the holes a review of the foundation found (issue 6):
// each drives a real container, or the helper with a crafted plan, and
// failed before its fix.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const { runPlan } = require('../helpers/run-plan');

const helper = path.join(h.repo, 'build/Release/ts-oci-init');
// The helper alone, in namespaces of its own (it unshares nothing itself).
const isolated = ['unshare', '--mount', '--uts', '--ipc', '--net', '--pid', '--fork', '--propagation', 'private'];

/** The helper's reply to a crafted plan: its error frame, or undefined when the plan ran through. */
async function planError(ops) {
  const r = await runPlan(helper, ops, { wrap: isolated, stdio: ['ignore', 'pipe', 'pipe'] });
  const error = r.frames.find((f) => f.frame === 'error');
  return { ...r, error };
}

describe('hardening probes', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  describe('sysctl keys never leave the namespaced /proc/sys files', () => {
    // Each key starts with an allowed prefix and walks back up: before the
    // fix "net/../../self/comm" reached /proc/self/comm (a harmless target
    // standing for /proc/sys/kernel/core_pattern and the like).
    for (const key of ['net/../../self/comm', 'net.ipv4//..//..//self.comm', 'net..ipv4.ip_forward', 'net./.ipv4']) {
      it(`refuses ${JSON.stringify(key)} naming the field, and creates nothing`, () => {
        const r = h.runScript(root, 'cat /proc/self/comm', (c) => (c.linux.sysctl = { [key]: 'x' }));
        expect(r.stderr).to.match(/^ts-oci: run \S+: .*config\.json: \/linux\/sysctl\/\S+: sysctl .* is not a valid sysctl name: it has (an empty|a "\.\.?") component\n$/);
        expect(r.status).to.equal(1);
        expect(fs.readdirSync(root)).to.not.include(r.id);
      });
    }

    it('ts-oci-init refuses a procfs path with a ".." component whatever the plan says', async () => {
      const r = await planError([{ op: 'procWrite', path: 'sys/../self/comm', value: 'escaped' }]);
      expect(r.error, r.stderr).to.include({ errno: 22, syscall: 'openat2', path: 'sys/../self/comm' });
      expect(r.error.detail).to.match(/must be relative, without "\.\."/);
      expect(r.code).to.equal(1);
    });

    for (const bad of ['', '/proc/self/comm', 'self//comm', './self/comm']) {
      it(`ts-oci-init refuses the procfs path ${JSON.stringify(bad)}`, async () => {
        const r = await planError([{ op: 'procWrite', path: bad, value: 'escaped' }]);
        expect(r.error, r.stderr).to.include({ errno: 22, syscall: 'openat2' });
        expect(r.code).to.equal(1);
      });
    }

    it('a plain sysctl still applies', () => {
      // Not ip_forward: a new namespace copies the host's (1 where dockerd runs), so setting 1 proved nothing
      // there. Every new network namespace starts with ip_default_ttl 64.
      const out = h.runOk(root, 'cat /proc/sys/net/ipv4/ip_default_ttl', (c) => (c.linux.sysctl = { 'net/ipv4/ip_default_ttl': '77' }));
      expect(out).to.equal('77\n');
    });
  });

  describe('user and group ids outside 0..4294967294 are refused (4294967295 is "unchanged")', () => {
    const cases = [
      ['uid', (u) => (u.uid = 4294967295), '/process/user/uid'],
      ['gid', (u) => (u.gid = 4294967295), '/process/user/gid'],
      ['additionalGids', (u) => (u.additionalGids = [10, 4294967295]), '/process/user/additionalGids/1'],
    ];
    for (const [what, edit, field] of cases) {
      it(`${what} 4294967295: create fails naming ${field} (the process would have stayed root)`, () => {
        const r = h.runScript(root, 'id', (c) => edit(c.process.user));
        expect(r.stdout).to.equal('');
        expect(r.stderr).to.match(new RegExp(`^ts-oci: run \\S+: .*config\\.json: ${field}: 4294967295 is outside the range 0\\.\\.4294967294`));
        expect(r.status).to.equal(1);
        expect(fs.readdirSync(root)).to.not.include(r.id);
      });
    }

    for (const [uid, gid, groups] of [[4294967295, 0, []], [0, 4294967295, []], [0, 0, [4294967295]], [-1, 0, []], [2 ** 32, 0, []]]) {
      it(`ts-oci-init refuses creds ${uid}:${gid} groups [${groups}] whatever the plan says`, async () => {
        const r = await planError([{ op: 'creds', uid, gid, groups }]);
        expect(r.error, r.stderr).to.include({ errno: 22 });
        expect(r.error.detail).to.match(/is outside 0\.\.4294967294$/);
        expect(r.code).to.equal(1);
      });
    }

    // A seccomp rule answering 0 without running the call (ERRNO with errnoRet
    // 0, loaded before the credential steps when noNewPrivileges is false)
    // stands for a set*id call that reports success but does not take.
    const faked = [
      ['setresuid', { uid: 1000, gid: 1000 }, 'set user 1000:1000: credentials did not take: uid 0/0/0 gid 1000/1000/1000, want 1000:1000'],
      ['setresgid', { uid: 0, gid: 1000 }, 'set user 0:1000: credentials did not take: uid 0/0/0 gid 0/0/0, want 0:1000'],
      ['setgroups', { uid: 0, gid: 0, additionalGids: [20, 30] }, 'set user 0:0: additional groups did not take (0 groups, want 2)'],
    ];
    for (const [call, user, line] of faked) {
      it(`a ${call} that returns 0 without taking effect fails the create (getresuid/getresgid/getgroups check)`, () => {
        const r = h.runScript(root, 'id', (c) => {
          c.process.noNewPrivileges = false;
          c.process.user = user;
          c.linux.seccomp = { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: [call], action: 'SCMP_ACT_ERRNO', errnoRet: 0 }] };
        });
        expect(r.stdout).to.equal('');
        expect(r.stderr).to.equal(`ts-oci: run ${r.id}: ${line}\n`);
        expect(r.status).to.equal(1);
        expect(fs.readdirSync(root)).to.not.include(r.id);
      });
    }

    it('valid ids still apply, groups in any order', () => {
      const out = h.runOk(root, 'id -u; id -g; id -G', (c) => {
        c.process.user = { uid: 4294967294, gid: 1000, additionalGids: [30, 20, 1000] };
      });
      expect(out.split('\n').slice(0, 2)).to.deep.equal(['4294967294', '1000']);
      expect(out.split('\n')[2].split(' ').sort()).to.deep.equal(['1000', '20', '30']);
    });
  });

  describe('start succeeds only on the helper\'s about-to-execve marker', () => {
    it('an init killed after start released it (no exec) makes start fail, not succeed', () => {
      // No pid namespace, so the startContainer hook can SIGKILL the helper
      // (its parent) while it is between the fifo open and execve.
      const b = h.makeBundle((c) => {
        c.process.args = ['sh', '-c', 'echo ran'];
        c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'pid');
        c.hooks = { startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'kill -9 $PPID'] }] };
      });
      const id = h.uniqueId('hard');
      const created = h.cli(root, ['create', '-b', b, id]);
      expect(created.stderr).to.equal('');
      const r = h.cli(root, ['start', id]);
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.equal(`ts-oci: start ${id}: container init exited before running the process (killed while created?)\n`);
      expect(r.status).to.equal(1);
    });

    it('a normal start still succeeds', () => {
      const out = h.runOk(root, 'echo ran');
      expect(out).to.equal('ran\n');
    });
  });

  describe('runtime-side hooks get no descriptor beyond their stdio', () => {
    it('prestart, createRuntime, poststart and poststop see only fds 0-2, even with fds leaked into the CLI', () => {
      const out = path.join(h.work, `hookfds-${process.pid}`);
      fs.mkdirSync(out, { recursive: true });
      // ls, exec'd by the hook's shell, lists its own fds: 0-2 and the directory it reads (3).
      const hook = (kind) => ({ path: '/bin/sh', args: ['sh', '-c', `exec ls /proc/self/fd > ${out}/${kind}`] });
      const kinds = ['prestart', 'createRuntime', 'poststart', 'poststop'];
      const b = h.makeBundle((c) => {
        c.process.args = ['true'];
        c.hooks = Object.fromEntries(kinds.map((k) => [k, [hook(k)]]));
      });
      try {
        // Fd 7 is below and fd 200 above the range node marks close-on-exec at startup.
        const r = spawnSync('bash', ['-c', 'exec 7</ 200</; exec "$0" "$@"', h.bin, '--root', root, 'run', '-b', b, h.uniqueId('hard')],
          { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
        expect(r.stderr).to.equal('');
        expect(r.status).to.equal(0);
        for (const k of kinds) expect(fs.readFileSync(path.join(out, k), 'utf8'), k).to.equal('0\n1\n2\n3\n');
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  });

  describe('--preserve-fds slots that are not open', () => {
    it('ts-oci-init refuses to start when a slot before its sync fd is closed, before opening anything', async () => {
      // Before the fix the procfs opened for PROC_WRITE took fd 3 and reached the exec'd ls.
      const ops = [
        { op: 'procWrite', path: 'self/oom_score_adj', value: '0' },
        { op: 'exec', args: ['/bin/ls', '/proc/self/fd'], env: [], preserveFds: 1 },
      ];
      const r = await runPlan(helper, ops, { wrap: isolated, stdio: ['ignore', 'pipe', 'pipe'], preserved: ['ignore'] });
      const error = r.frames.find((f) => f.frame === 'error');
      // Seen failing once in CI with no error frame (not reproduced since): say everything the helper did.
      const seen = JSON.stringify({ code: r.code, signal: r.signal, frames: r.frames, stdout: r.stdout, stderr: r.stderr });
      expect(error, seen).to.include({ errno: 9, syscall: 'fcntl', detail: 'preserved fd 3 is not open' });
      expect(r.stdout).to.equal('');
      expect(r.code).to.equal(1);
    });

    it('the CLI refuses an unopened slot and creates nothing', () => {
      const b = h.makeBundle((c) => (c.process.args = ['ls', '/proc/self/fd']));
      const id = h.uniqueId('hard');
      // fd 3 open, fds 4.. closed: a high slot (fd 900) that nothing in node occupies.
      const r = spawnSync('bash', ['-c', 'exec 3</dev/null; exec "$0" "$@"', h.bin, '--root', root, 'run', '--preserve-fds', '898', '-b', b, id],
        { encoding: 'utf8', timeout: 60000 });
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(new RegExp(`^ts-oci: run ${id}: --preserve-fds: fd \\d+ `));
      expect(r.status).to.equal(1);
      expect(fs.readdirSync(root)).to.not.include(id);
    });
  });

  describe('mounts onto or under /proc are limited as runc limits them', () => {
    const refused = [
      ['tmpfs on /proc/sys', { destination: '/proc/sys', type: 'tmpfs', source: 'tmpfs' }, '"/proc/sys" cannot be mounted because it is inside /proc'],
      ['a bind of a directory on /proc/self', { destination: '/proc/self', type: 'bind', source: '/tmp', options: ['rbind'] }, '"/proc/self" cannot be mounted because it is inside /proc'],
      ['a bind on /proc/kcore (not a file lxcfs provides)', { destination: '/proc/kcore', type: 'bind', source: '/etc/hostname', options: ['bind'] }, '"/proc/kcore" cannot be mounted because it is inside /proc'],
      ['tmpfs on /proc itself', { destination: '/proc', type: 'tmpfs', source: 'tmpfs' }, '"/proc" cannot be mounted because it is not of type proc'],
    ];
    for (const [what, mount, message] of refused) {
      it(`refuses ${what}, naming the mount`, () => {
        let index;
        const r = h.runScript(root, 'stat -f -c %T /proc/sys', (c) => {
          index = c.mounts.push(mount) - 1;
        });
        expect(r.stderr).to.match(new RegExp(`^ts-oci: run \\S+: .*config\\.json: /mounts/${index}: ${message.replace(/[/.*]/g, '\\$&')}\n$`));
        expect(r.status).to.equal(1);
      });
    }

    it('a symlink into /proc does not get a mount past the check: the helper refuses it', () => {
      const b = h.makeBundle((c) => {
        c.process.args = ['stat', '-f', '-c', '%T', '/proc/sys'];
        c.mounts.push({ destination: '/psym/sys', type: 'tmpfs', source: 'tmpfs' });
      });
      fs.symlinkSync('/proc', path.join(b, 'rootfs/psym'));
      const r = h.cli(root, ['run', '-b', b, h.uniqueId('hard')]);
      // Before the fix the container saw a writable tmpfs over /proc/sys.
      expect(r.stdout).to.equal('');
      expect(r.stderr).to.match(/^ts-oci: run \S+: mount tmpfs on \/psym\/sys: "\/psym\/sys" cannot be mounted because it is inside \/proc\n$/);
      expect(r.status).to.equal(1);
    });

    it('a bind of a regular file over a file lxcfs emulates still works', () => {
      const file = path.join(h.work, `uptime-${process.pid}`);
      fs.writeFileSync(file, '12345.67 1.00\n');
      try {
        const out = h.runOk(root, 'cat /proc/uptime', (c) => {
          c.mounts.push({ destination: '/proc/uptime', type: 'bind', source: file, options: ['bind', 'ro'] });
        });
        expect(out).to.equal('12345.67 1.00\n');
      } finally {
        fs.rmSync(file, { force: true });
      }
    });
  });

  describe('remounts act on the mount\'s own descriptor', () => {
    it('binds with flags, readonlyPaths and a read-only root never remount by path', () => {
      const b = h.makeBundle((c) => {
        c.process.args = ['awk', '$5 == "/" || $5 == "/mnt" { print $5, $6 }', '/proc/self/mountinfo'];
        c.root.readonly = true;
        c.mounts.push({ destination: '/mnt', type: 'bind', source: '/etc', options: ['rbind', 'ro', 'nosuid'] });
      });
      const trace = path.join(h.work, `strace-${process.pid}`);
      try {
        const r = spawnSync('strace', ['-f', '-qq', '-o', trace, '-e', 'trace=mount,open_tree,move_mount,mount_setattr',
          h.bin, '--root', root, 'run', '-b', b, h.uniqueId('hard')], { encoding: 'utf8', timeout: 60000 });
        expect(r.stderr).to.equal('');
        const opts = Object.fromEntries(r.stdout.trim().split('\n').map((l) => l.split(' ')));
        expect(opts['/']).to.match(/^ro,/);
        expect(opts['/mnt']).to.match(/^ro,nosuid/);
        const calls = fs.readFileSync(trace, 'utf8');
        // Before the fix every one of these was mount(NULL, <path>, MS_REMOUNT|MS_BIND|...).
        expect(calls).to.not.match(/MS_REMOUNT/);
        expect(calls).to.match(/open_tree\(\d+, "", [^)]*OPEN_TREE_CLONE/);
        expect(calls).to.match(/mount_setattr\(\d+, "", AT_EMPTY_PATH, \{attr_set=MOUNT_ATTR_RDONLY\|MOUNT_ATTR_NOSUID/);
        expect(calls).to.match(/move_mount\(\d+, "", \d+, "", MOVE_MOUNT_F_EMPTY_PATH\|MOVE_MOUNT_T_EMPTY_PATH\)/);
      } finally {
        if (process.env.KEEP_TRACE) fs.copyFileSync(trace, '/tmp/holes-trace'); fs.rmSync(trace, { force: true });
      }
    });
  });

  describe('--preserve-fds: an allow-list of the descriptors the caller passed', () => {
    const runWith = (fdSetup, args) => spawnSync('bash', ['-c', `${fdSetup}; exec "$0" "$@"`, h.bin, '--root', root, ...args],
      { encoding: 'utf8', timeout: 60000 });

    it('passes what the caller passed', () => {
      const b = h.makeBundle((c) => (c.process.args = ['ls', '/proc/self/fd']));
      const r = runWith('exec 3</dev/null 200</dev/null', ['run', '--preserve-fds', '1', '-b', b, h.uniqueId('hard')]);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.equal('0\n1\n2\n3\n4\n');  // 3 preserved, 4 is ls's own directory
    });

    it('refuses a slot the caller did not pass, naming it, and creates nothing', () => {
      const b = h.makeBundle((c) => (c.process.args = ['true']));
      const id = h.uniqueId('hard');
      const r = runWith('exec 3</dev/null', ['run', '--preserve-fds', '2', '-b', b, id]);
      expect(r.stderr).to.match(new RegExp(`^ts-oci: run ${id}: --preserve-fds: fd 4 \\(.+\\) was not passed by the caller\\n$`));
      expect(r.status).to.equal(1);
      expect(fs.readdirSync(root)).to.not.include(id);
    });

    it('the library refuses preserveFds without passedFds, and takes the list it is given', async () => {
      const { Container } = require('../../dist/index.js');
      const b = h.makeBundle((c) => (c.process.args = ['true']));
      const e = await Container.create({ id: h.uniqueId('hard'), bundle: b, root, preserveFds: 1 }).catch((x) => x);
      expect(e.message).to.match(/^--preserve-fds: fd 3: which descriptors the caller passed is unknown/);
    });
  });
});
