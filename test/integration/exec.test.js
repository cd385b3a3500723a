'use strict';
// `ts-oci exec`: each check runs inside a real container through the CLI.
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const { forThisLayout } = require('../helpers/cgroup-layout');

const CAP = { KILL: 5, NET_BIND_SERVICE: 10, SYS_ADMIN: 21, AUDIT_WRITE: 29 };
const mask = (...bits) => bits.reduce((m, b) => m | (1n << BigInt(b)), 0n).toString(16).padStart(16, '0');
const DEFAULT_CAPS = mask(CAP.KILL, CAP.NET_BIND_SERVICE, CAP.AUDIT_WRITE);

describe('exec (CLI)', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  /** A started container running `sleep 1000` (or `args`); returns its id and init pid. */
  function startContainer(edit) {
    const bundle = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      c.hostname = 'exec-host';
      c.process.env = ['PATH=/usr/bin:/bin', 'KEEP=container', 'OVER=container'];
      forThisLayout(c);
      if (edit) edit(c);
    });
    const id = h.uniqueId('exec');
    const r = h.cli(root, ['run', '--detach', '-b', bundle, id]);
    if (r.status !== 0) throw new Error(r.stderr);
    return { id, bundle, pid: JSON.parse(h.cli(root, ['state', id]).stdout).pid };
  }
  const execIn = (id, flags, command, opts) => h.cli(root, ['exec', ...flags, id, ...command], opts);
  const execOk = (id, flags, command) => {
    const r = execIn(id, flags, command);
    if (r.status !== 0 || r.stderr !== '') throw new Error(`status ${r.status}: ${r.stderr}`);
    return r.stdout;
  };

  let c;
  before(() => (c = startContainer()));

  it('sees the container: its pid 1, hostname, namespaces, mounts and cgroup', () => {
    const out = execOk(c.id, [], ['sh', '-c', [
      'tr "\\0" " " < /proc/1/cmdline; echo',
      'hostname',
      'for n in mnt pid net ipc uts cgroup; do [ "$(readlink /proc/self/ns/$n)" = "$(readlink /proc/1/ns/$n)" ] && echo "same $n"; done',
      'cmp -s /proc/self/mountinfo /proc/1/mountinfo && echo same mounts',
      'cmp -s /proc/self/cgroup /proc/1/cgroup && echo same cgroup',
    ].join('; ')]);
    expect(out).to.equal('sleep 1000 \nexec-host\nsame mnt\nsame pid\nsame net\nsame ipc\nsame uts\nsame cgroup\nsame mounts\nsame cgroup\n');
    // And from the host: the exec'd process is in the init's cgroups, not ours.
    const pidFile = path.join(h.work, `exec-pid-${process.pid}`);
    execOk(c.id, ['--pid-file', pidFile], ['sh', '-c', 'cat /proc/self/cgroup > /dev/null']);
    expect(fs.readFileSync(pidFile, 'utf8')).to.match(/^\d+$/);
  });

  it('runs in the container\'s cgroups as seen from the host', () => {
    const r = execIn(c.id, [], ['sh', '-c', 'echo $$; sleep 0.3 & wait']);
    expect(r.status).to.equal(0);
    const init = fs.readFileSync(`/proc/${c.pid}/cgroup`, 'utf8');
    // The exec'd pid is gone now; a detached one is checked below. Compare through a live member instead.
    const pidFile = path.join(h.work, `exec-live-${process.pid}`);
    const child = spawn(h.bin, ['--root', root, 'exec', '--pid-file', pidFile, c.id, 'sleep', '1000'], { stdio: 'ignore' });
    h.waitFor(() => fs.existsSync(pidFile), 'exec pid file');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    try {
      expect(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8')).to.equal(init);
      // A member of the container's pid namespace: NSpid has a second, in-container pid.
      expect(/^NSpid:\s+(\d+)\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))).to.not.equal(null);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
    return new Promise((resolve) => child.on('exit', (code) => resolve(expect(code).to.equal(137))));
  });

  it('exit codes and signals propagate', () => {
    expect(execIn(c.id, [], ['sh', '-c', 'exit 7']).status).to.equal(7);
    expect(execIn(c.id, [], ['sh', '-c', 'kill -TERM $$']).status).to.equal(128 + 15);
    expect(execIn(c.id, [], ['true']).status).to.equal(0);
  });

  it('the container\'s process by default: env, cwd, user, capabilities, rlimits, no_new_privs', () => {
    const out = execOk(c.id, [], ['sh', '-c', 'echo "$KEEP $OVER"; pwd; id -u; ulimit -n; grep -E "^(Cap|NoNewPrivs)" /proc/self/status']);
    expect(out).to.equal(`container container\n/\n0\n1024\nCapInh:\t0000000000000000\nCapPrm:\t${DEFAULT_CAPS}\nCapEff:\t${DEFAULT_CAPS}\n` +
      `CapBnd:\t${DEFAULT_CAPS}\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1\n`);
  });

  it('--env, --cwd, --user, --additional-gids and --cap take effect, and nothing more', () => {
    const out = execOk(c.id, ['--env', 'OVER=exec', '-e', 'NEW=1', '--cwd', '/tmp', '-u', '1000:1001', '-g', '2000', '-g', '2001'],
      ['sh', '-c', 'echo "$KEEP $OVER $NEW"; env | grep -c "^OVER="; pwd; id -u; id -g; id -G']);
    expect(out).to.equal('container exec 1\n1\n/tmp\n1000\n1001\n1001 2000 2001\n');
    expect(execOk(c.id, ['-u', '1000'], ['id', '-g'])).to.equal('0\n');
    const caps = execOk(c.id, ['--cap', 'CAP_SYS_ADMIN'], ['grep', '^Cap', '/proc/self/status']);
    const added = mask(CAP.KILL, CAP.NET_BIND_SERVICE, CAP.SYS_ADMIN, CAP.AUDIT_WRITE);
    expect(caps).to.equal(`CapInh:\t0000000000000000\nCapPrm:\t${added}\nCapEff:\t${added}\nCapBnd:\t${added}\nCapAmb:\t0000000000000000\n`);
  });

  it('--no-new-privs', () => {
    const d = startContainer((cfg) => (cfg.process.noNewPrivileges = false));
    expect(execOk(d.id, [], ['grep', 'NoNewPrivs', '/proc/self/status'])).to.equal('NoNewPrivs:\t0\n');
    expect(execOk(d.id, ['--no-new-privs'], ['grep', 'NoNewPrivs', '/proc/self/status'])).to.equal('NoNewPrivs:\t1\n');
  });

  it('--process: the whole process from a file, the container\'s rlimits and capabilities where it has none', () => {
    const file = path.join(h.work, `process-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify({ args: ['sh', '-c', 'env | sort; pwd; id -u; ulimit -n; grep CapEff /proc/self/status'], env: ['A=1', 'PATH=/bin'], cwd: '/tmp', user: { uid: 0, gid: 0 } }));
    expect(execOk(c.id, ['--process', file], [])).to.equal(`A=1\nPATH=/bin\nPWD=/tmp\nSHLVL=1\n/tmp\n0\n1024\nCapEff:\t${DEFAULT_CAPS}\n`);
    fs.writeFileSync(file, JSON.stringify({ args: [], cwd: '/' }));
    const bad = execIn(c.id, ['-p', file], []);
    expect(bad.status).to.equal(255);
    expect(bad.stderr).to.equal(`ts-oci: exec ${c.id}: ${file}: /args: args must not be empty\n`);
    fs.writeFileSync(file, JSON.stringify({ args: ['true'], cwd: 'relative' }));
    expect(execIn(c.id, ['-p', file], []).stderr).to.match(/: \/cwd: cwd "relative" must be an absolute path\n$/);
  });

  it('--process applies scheduler and execCPUAffinity with create\'s rules', () => {
    const file = path.join(h.work, `process-sched-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify({
      args: ['sh', '-c', 'cut -d" " -f19 /proc/self/stat; grep Cpus_allowed_list /proc/self/status'], cwd: '/',
      scheduler: { policy: 'SCHED_OTHER', nice: 5 }, execCPUAffinity: { final: '0' },
    }));
    expect(execOk(c.id, ['--process', file], [])).to.equal('5\nCpus_allowed_list:\t0\n');
    fs.writeFileSync(file, JSON.stringify({ args: ['true'], cwd: '/', scheduler: { policy: 'SCHED_OTHER', priority: 3 } }));
    expect(execIn(c.id, ['--process', file], []).stderr).to.equal(
      `ts-oci: exec ${c.id}: ${file}: /scheduler/priority: scheduler.priority can only be specified for SchedFIFO or SchedRR policy\n`);
  });

  it('cwd is resolved inside the container: a symlink cannot climb out, a leaked host fd is caught (CVE-2024-21626)', () => {
    const d = startContainer();
    fs.symlinkSync('../../../../..', path.join(d.bundle, 'rootfs', 'up'));
    fs.writeFileSync(path.join(d.bundle, 'rootfs', 'marker'), 'inside\n');
    expect(execOk(d.id, ['--cwd', '/up'], ['sh', '-c', 'pwd; cat marker'])).to.equal('/\ninside\n');
    // fd 3 is the host's / , passed on with --preserve-fds: chdir through /proc/self/fd/3 would leave the container.
    const r = spawnSync('bash', ['-c', `exec 3</; exec ${h.bin} --root ${root} exec --preserve-fds 1 --cwd /proc/self/fd/3 ${d.id} pwd`], { encoding: 'utf8' });
    expect(r.stdout).to.equal('');
    expect(r.status).to.equal(255);
    expect(r.stderr).to.equal(`ts-oci: exec ${d.id}: chdir to cwd "/proc/self/fd/3": current working directory is outside of container mount namespace root -- possible container breakout detected\n`);
  });

  it('the process gets fds 0-2 and the preserved fds, nothing else', () => {
    expect(execOk(c.id, [], ['ls', '/proc/self/fd'])).to.equal('0\n1\n2\n3\n'); // 3: ls's own directory fd
    const r = spawnSync('bash', ['-c', `exec 3</dev/null 7</; exec ${h.bin} --root ${root} exec --preserve-fds 1 ${c.id} sh -c 'ls /proc/self/fd | tr "\\n" " "; readlink /proc/self/fd/3'`], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    // 0-2, the preserved 3, and the fd ls opens; never the unpassed 7 nor the helper's pidfd of the init.
    expect(r.stdout).to.equal('0 1 2 3 4 /dev/null\n');
  });

  it('--detach --pid-file: returns at once; the process is reparented to the caller\'s subreaper', () => {
    const pidFile = path.join(h.work, `detached-${process.pid}`);
    fs.rmSync(pidFile, { force: true });
    // perl makes itself a child subreaper (prctl 36, x86_64 syscall 157), runs the CLI, then reaps the orphan.
    const script = `
      syscall(157, 36, 1, 0, 0, 0) == 0 or die "prctl: $!";
      system(@ARGV) == 0 or die "exec -d failed: $?";
      open(my $f, "<", "${pidFile}") or die; my $pid = <$f>;
      open(my $s, "<", "/proc/$pid/status") or die; my ($ppid) = grep { /^PPid:/ } <$s>;
      print "ppid-is-me\\n" if $ppid =~ /^PPid:\\s+$$\\s*$/;
      kill 9, $pid; waitpid($pid, 0) == $pid and print "reaped\\n";`;
    const r = spawnSync('perl', ['-e', script, h.bin, '--root', root, 'exec', '-d', '--pid-file', pidFile, c.id, 'sleep', '1000'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.equal('ppid-is-me\nreaped\n');
  });

  it('--cgroup joins an existing sub-cgroup of the container', () => {
    const d = startContainer();
    const dirs = JSON.parse(fs.readFileSync(path.join(root, d.id, 'state.json'), 'utf8')).cgroupDirs;
    for (const dir of [...dirs.v1, ...(dirs.v2 ? [dirs.v2] : [])]) {
      fs.mkdirSync(path.join(dir.path, 'sub'));
      // A v1 cpuset cgroup takes no task before its cpus and mems are set.
      for (const f of ['cpuset.cpus', 'cpuset.mems']) {
        const parent = path.join(dir.path, f);
        if (fs.existsSync(parent)) fs.writeFileSync(path.join(dir.path, 'sub', f), fs.readFileSync(parent));
      }
    }
    const lines = execOk(d.id, ['--cgroup', 'sub'], ['cat', '/proc/self/cgroup']).trim().split('\n');
    expect(lines.length).to.be.greaterThan(0);
    // Only the hierarchies the container has (a hierarchy mounted later, e.g. hugetlb, is not its).
    const own = new Set([...dirs.v1.flatMap((x) => x.controllers), ...(dirs.v2 ? [''] : [])]);
    const mine = lines.filter((l) => l.split(':')[1].split(',').some((c) => own.has(c)));
    expect(mine.length).to.equal(dirs.v1.length + (dirs.v2 ? 1 : 0));
    for (const l of mine) expect(l).to.match(/:\/sub$/);
    const bad = execIn(d.id, ['--cgroup', '../x'], ['true']);
    expect(bad.stderr).to.equal(`ts-oci: exec ${d.id}: invalid --cgroup argument: ../x (".." is not allowed)\n`);
    // delete removes the sub-cgroups with the container's.
    expect(h.cli(root, ['delete', '--force', d.id]).status).to.equal(0);
    for (const dir of [...dirs.v1, ...(dirs.v2 ? [dirs.v2] : [])]) expect(fs.existsSync(dir.path)).to.equal(false);
  });

  it('kill --all and delete --force reach exec\'d processes', async () => {
    const d = startContainer();
    const waitExit = (child) => new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
    const runExec = () => {
      const pidFile = path.join(h.work, `member-${process.pid}-${Math.random()}`);
      const child = spawn(h.bin, ['--root', root, 'exec', '--pid-file', pidFile, d.id, 'sleep', '1000'], { stdio: 'ignore' });
      h.waitFor(() => fs.existsSync(pidFile), 'exec started');
      return { exit: waitExit(child), pid: Number(fs.readFileSync(pidFile, 'utf8')) };
    };
    // SIGTERM: the init (pid 1 of its namespace, default handler) ignores it; the exec'd sleep dies.
    const first = runExec();
    expect(h.cli(root, ['kill', '--all', d.id, 'TERM']).status).to.equal(0);
    expect(await first.exit).to.equal(128 + 15);
    expect(JSON.parse(h.cli(root, ['state', d.id]).stdout).status).to.equal('running');
    const second = runExec();
    expect(h.cli(root, ['delete', '--force', d.id]).status).to.equal(0);
    expect(await second.exit).to.equal(128 + 9);
    expect(h.processState(second.pid)).to.equal(undefined);
  });

  it('a created container can be exec\'d into (as runc allows), and starts afterwards', () => {
    const bundle = h.makeBundle((cfg) => {
      forThisLayout(cfg).process.args = ['cp', '/started-by-exec', '/seen-by-init'];
      cfg.hostname = 'created-host';
    });
    const id = h.uniqueId('created');
    expect(h.cli(root, ['create', '-b', bundle, id]).status).to.equal(0);
    expect(execOk(id, [], ['sh', '-c', 'hostname; echo from-exec > /started-by-exec'])).to.equal('created-host\n');
    expect(JSON.parse(h.cli(root, ['state', id]).stdout).status).to.equal('created');
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    h.waitFor(() => JSON.parse(h.cli(root, ['state', id]).stdout).status === 'stopped', 'the init ran');
    expect(fs.readFileSync(path.join(bundle, 'rootfs', 'seen-by-init'), 'utf8')).to.equal('from-exec\n');
  });

  it('refuses stopped, paused and unknown containers with runc\'s messages and status (255)', () => {
    const bundle = h.makeBundle((cfg) => forThisLayout(cfg).process.args = ['true']);
    const stopped = h.uniqueId('stopped');
    expect(h.cli(root, ['run', '--keep', '-b', bundle, stopped]).status).to.equal(0);
    expect(execIn(stopped, [], ['true'])).to.deep.include({ status: 255, stderr: `ts-oci: exec ${stopped}: cannot exec in a stopped container\n` });
    expect(execIn('no-such-container', [], ['true'])).to.deep.include({ status: 255, stderr: 'ts-oci: exec no-such-container: container does not exist\n' });
    const d = startContainer();
    const dirs = JSON.parse(fs.readFileSync(path.join(root, d.id, 'state.json'), 'utf8')).cgroupDirs;
    const freezer = dirs.v1.find((x) => x.controllers.includes('freezer'));
    const file = freezer ? path.join(freezer.path, 'freezer.state') : path.join(dirs.v2.path, 'cgroup.freeze');
    fs.writeFileSync(file, freezer ? 'FROZEN' : '1');
    try {
      h.waitFor(() => JSON.parse(h.cli(root, ['state', d.id]).stdout).status === 'paused', 'paused');
      expect(execIn(d.id, [], ['true'])).to.deep.include({ status: 255, stderr: `ts-oci: exec ${d.id}: cannot exec in a paused container (use --ignore-paused to override)\n` });
    } finally {
      fs.writeFileSync(file, freezer ? 'THAWED' : '0');
    }
  });

  it('a helper killed before its execve is an error, not an exit status of the process', async () => {
    const d = startContainer();
    const dirs = JSON.parse(fs.readFileSync(path.join(root, d.id, 'state.json'), 'utf8')).cgroupDirs;
    const freezer = dirs.v1.find((x) => x.controllers.includes('freezer'));
    const dir = freezer ? freezer.path : dirs.v2.path;
    fs.writeFileSync(path.join(dir, freezer ? 'freezer.state' : 'cgroup.freeze'), freezer ? 'FROZEN' : '1');
    h.waitFor(() => JSON.parse(h.cli(root, ['state', d.id]).stdout).status === 'paused', 'paused');
    // The helper joins the frozen cgroup and stops there, before its plan runs.
    const errFile = path.join(h.work, `frozen-exec-${process.pid}`);
    const err = fs.openSync(errFile, 'w');
    const child = spawn(h.bin, ['--root', root, 'exec', '--ignore-paused', d.id, 'true'], { stdio: ['ignore', 'ignore', err] });
    fs.closeSync(err);
    const procs = () => fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').trim().split('\n').filter(Boolean);
    h.waitFor(() => procs().length === 2, 'the helper in the frozen cgroup');
    const exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    // SIGKILL stays pending while frozen: deliver it, then thaw.
    for (const pid of procs()) process.kill(Number(pid), 'SIGKILL');
    fs.writeFileSync(path.join(dir, freezer ? 'freezer.state' : 'cgroup.freeze'), freezer ? 'THAWED' : '0');
    expect(await exit).to.equal(255);
    // Which phase it names depends on whether the kill came before ts-oci
    // sent the plan: always on cgroup2 (cloned into the frozen cgroup, it
    // dies before its execveat), or on v1 while it still joins other hierarchies.
    expect(fs.readFileSync(errFile, 'utf8')).to.match(new RegExp(`^ts-oci: exec ${d.id}: the exec helper exited before it `
      + '(joined the container|started the process) \\(is the container stopping\\?\\)\n$'));
  });

  it('refuses what it cannot apply with status 255 (never the process\'s own 1), leaving nothing running', () => {
    const refusals = [
      // runc's checkTerminal phrases (test/integration/terminal-exec.test.js has the rest).
      [['-d', '-t'], 'cannot allocate tty if ts-oci will detach without setting console socket'],
      [['--console-socket', `${h.work}/no.sock`], 'cannot use console socket if ts-oci will not detach or allocate tty'],
      [['--pidfd-socket', `${h.work}/no.sock`], `connect to pidfd socket ${h.work}/no.sock: ENOENT`],
      [['--apparmor', 'p'], 'exec: /apparmorProfile: AppArmor is not enabled on this host'],
      [['--process-label', 'l'], 'exec: /selinuxLabel: selinux label is specified in config, but selinux is disabled or not supported'],
      [['--cap', 'CAP_NOPE'], 'invalid --cap "CAP_NOPE": unknown capability'],
      [['--cwd', 'rel'], '--cwd "rel" must be an absolute path'],
    ];
    for (const [flags, message] of refusals) {
      expect(execIn(c.id, flags, ['true']), flags.join(' ')).to.deep.include({ status: 255, stderr: `ts-oci: exec ${c.id}: ${message}\n` });
    }
    const missing = execIn(c.id, [], ['no-such-binary']);
    expect(missing.status).to.equal(255);
    expect(missing.stderr).to.equal(`ts-oci: exec ${c.id}: unable to start container process: exec: "no-such-binary": executable file not found in $PATH\n`);
    expect(execIn(c.id, ['--cwd', '/nope'], ['true']).stderr).to.equal(`ts-oci: exec ${c.id}: chdir to cwd "/nope": ENOENT\n`);
    // Only the init is left in the container.
    const procs = execOk(c.id, [], ['sh', '-c', 'for p in /proc/[0-9]*; do [ "$p" = /proc/$$ ] || tr "\\0" " " < $p/cmdline; echo; done']);
    expect(procs.split('\n').filter(Boolean)).to.deep.equal(['sleep 1000 ']);
  });

  it('the helper is non-dumpable while it is inside the container\'s namespaces (CVE-2016-9962)', async () => {
    // Drive ts-oci-init by hand: join the container (setns on a pidfd of its
    // init, fd 4), fork into its pid namespace, then hold at a SYNC while a
    // process in the container (root, without CAP_SYS_PTRACE) tries to reach
    // the helper's fds. The container's own init is the dumpable control.
    const d = startContainer();
    const { native, helperPath } = require('../../dist/native');
    const { encodePlan } = require('../../dist/plan/encode');
    const { NAMESPACE_FLAGS } = require('../../dist/plan/namespaces');
    const nstype = ['mount', 'pid', 'network', 'ipc', 'uts'].reduce((f, t) => f | NAMESPACE_FLAGS[t], 0);
    const initPidfd = native().pidfdOpen(d.pid);
    const helper = spawn(helperPath(), ['--sync-fd', '3'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', initPidfd] });
    native().close(initPidfd);
    const sock = helper.stdio[3];
    const frame = (type, payload = Buffer.alloc(0)) => {
      const head = Buffer.alloc(8);
      head.writeUInt32LE(type, 0);
      head.writeUInt32LE(payload.length, 4);
      return Buffer.concat([head, payload]);
    };
    let joined;
    const atSync = new Promise((resolve, reject) => {
      let buf = Buffer.alloc(0);
      sock.on('data', (chunk) => {
        buf = Buffer.concat([buf, chunk]);
        while (buf.length >= 8 && buf.length >= 8 + buf.readUInt32LE(4)) {
          const type = buf.readUInt32LE(0);
          const body = buf.subarray(8, 8 + buf.readUInt32LE(4));
          buf = buf.subarray(8 + body.length);
          if (type === 14) { // FRAME_PID: the child inside the pid namespace
            joined = Number(body.readBigInt64LE(0));
            sock.write(frame(2));
          } else if (type === 10) resolve(); // FRAME_SYNC: it waits in the container
          else reject(new Error(`unexpected frame ${type}`));
        }
      });
      sock.on('error', () => undefined);
    });
    sock.write(frame(1, encodePlan([{ op: 'setnsPidfd', fd: 4, nstype, ns: [] }, { op: 'forkPidns' }, { op: 'sync', tag: 99 }])));
    await atSync;
    try {
      const nspid = /^NSpid:\s+\d+\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${joined}/status`, 'utf8'))[1];
      // readlink of /proc/<pid>/exe and fd/N needs ptrace access (proc_fd_access_allowed).
      const probe = (pid) => `readlink /proc/${pid}/exe > /dev/null && echo ${pid}:exe; readlink /proc/${pid}/fd/0 > /dev/null && echo ${pid}:fd`;
      const out = execOk(d.id, [], ['sh', '-c', `grep -c ts-oci-init /proc/${nspid}/cmdline; ${probe(1)}; ${probe(nspid)}; true`]);
      expect(out).to.equal('1\n1:exe\n1:fd\n');
    } finally {
      sock.destroy(); // EOF at the SYNC: the helper's child exits 1
      const fd = native().pidfdOpen(joined);
      native().waitPidfd(fd); // CLONE_PARENT made it our child: reap it
      native().close(fd);
    }
  });

  it('the container command keeps its own flags (nothing after the id is parsed)', () => {
    expect(execOk(c.id, [], ['sh', '-c', 'echo "$@"', 'x', '-all', '--root', '-e'])).to.equal('-all --root -e\n');
    expect(execOk(c.id, [], ['--', 'echo', '-d'])).to.equal('-d\n');
  });
});
