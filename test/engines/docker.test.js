'use strict';
// Docker (Debian's dockerd 20.10 with its managed containerd and the runc
// shim) drives ts-oci, registered in daemon.json as the runtime "ts-oci".
// Every check looks from inside the container (or at the kernel's view of
// it from the host), not only at docker's exit status. runc, Docker's
// default runtime, is run beside it where the point is "the same as runc".
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const { startDockerd } = require('../helpers/dockerd');
const { inPty } = require('../helpers/terminal');

/**
 * The daemon's refusal, the line `docker run` prints for it; the client may
 * add a racy `level=error msg="error waiting for container: context canceled"`.
 */
function daemonError(r) {
  return /^docker: Error response from daemon: .*$/m.exec(r.stderr)?.[0];
}

/** Polls `cond` until true; throws naming `what` after ~30 s. */
function waitFor(cond, what) {
  for (let i = 0; i < 300; i++) {
    if (cond()) return;
    spawnSync('sleep', ['0.1']);
  }
  throw new Error(`condition not reached: ${what}`);
}

describe('engines: Docker drives ts-oci', function () {
  this.timeout(120000);
  let d;
  const made = [];
  before(() => {
    d = startDockerd();
  });
  after(async () => {
    if (d) await d.stop();
    for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** `docker run --runtime ts-oci --network none [flags] IMAGE command...`. */
  const run = (flags, ...command) => d.docker(d.runArgs(flags, ...command));
  /** The same, which must succeed; returns stdout. */
  const runOk = (flags, ...command) => {
    const r = run(flags, ...command);
    if (r.status !== 0) throw new Error(`docker run: status ${r.status}: ${r.stderr}`);
    return r.stdout;
  };
  /** A detached container running `command`; returns its id. */
  const detached = (flags, ...command) => d.ok(d.runArgs(['-d', ...flags], ...command)).trim();
  const inspect = (id, format) => d.ok(['inspect', '--format', format, id]).trim();
  const status = (id) => inspect(id, '{{.State.Status}}');
  const sh = (id, script, flags = []) => d.ok(['exec', ...flags, id, 'sh', '-c', script]);
  /** The container's cgroup directory in a v1 hierarchy, seen from the host. */
  const hostCgroup = (id, controller) => path.join('/sys/fs/cgroup', controller, d.cgroupParent, id);
  const scratchDir = () => {
    const dir = fs.mkdtempSync(path.join(d.dir, 'vol-'));
    made.push(dir);
    return dir;
  };
  /** Runs `fn(id)` against a fresh detached `sleep` container, removed afterwards. */
  const withContainer = (flags, fn) => {
    const id = detached(flags, 'sh', '-c', 'exec sleep 1000');
    try {
      return fn(id);
    } finally {
      d.ok(['rm', '-f', id]);
    }
  };

  describe('basics', () => {
    it('docker info lists ts-oci among the runtimes', () => {
      expect(JSON.parse(d.ok(['info', '--format', '{{json .Runtimes}}']))).to.have.property('ts-oci');
    });

    it('run: the output and the exit code, through ts-oci', () => {
      const r = run(['--rm'], 'sh', '-c', 'echo hello; echo oops >&2; exit 3');
      expect(r.stdout).to.equal('hello\n');
      expect(r.stderr).to.equal('oops\n');
      expect(r.status).to.equal(3);
      expect(d.runtimeStates()).to.deep.equal([]);
    });

    it('run -d, then exec in it: the same container, in ts-oci\'s state while it runs', () => {
      const id = detached([], 'sh', '-c', 'echo started > /tmp/mark; exec sleep 1000');
      try {
        expect(status(id)).to.equal('running');
        expect(d.runtimeStates()).to.deep.equal([id]);
        const state = JSON.parse(spawnSync(d.tsOci, ['--root', d.runtimeRoot(), 'state', id], { encoding: 'utf8' }).stdout);
        expect(state).to.include({ id, status: 'running', pid: Number(inspect(id, '{{.State.Pid}}')) });
        const r = d.docker(['exec', id, 'sh', '-c', 'cat /tmp/mark; tr "\\0" " " < /proc/1/cmdline; exit 4']);
        expect(r.stdout).to.equal('started\nsleep 1000 ');
        expect(r.status).to.equal(4);
      } finally {
        d.ok(['rm', '-f', id]);
      }
    });

    it('--rm: nothing left of the container in docker or in ts-oci\'s state', () => {
      expect(runOk(['--rm', '--name', 'rm-me'], 'echo', 'bye')).to.equal('bye\n');
      expect(d.ok(['ps', '-aq', '--filter', 'name=rm-me'])).to.equal('');
      expect(d.runtimeStates()).to.deep.equal([]);
    });
  });

  describe('exec, top, pause, update, stats, logs', () => {
    it('exec -t: the process has a terminal of its own', () => {
      withContainer([], (id) => {
        const out = sh(id, 'tty; [ -t 0 ] && [ -t 1 ] && echo both-terminals', ['-t']);
        expect(out.replace(/\r/g, '')).to.equal('/dev/pts/0\nboth-terminals\n');
        // Without -t: no terminal.
        expect(d.docker(['exec', id, 'tty']).stdout).to.equal('not a tty\n');
      });
    });

    it('exec of a missing command: docker\'s 126, with runc\'s phrase from ts-oci', () => {
      withContainer([], (id) => {
        const r = d.docker(['exec', id, 'nonexistent']);
        // Docker 20.10 prints the shim's error on stdout and exits 126.
        expect(r.status).to.equal(126);
        expect(r.stdout).to.match(/^OCI runtime exec failed: exec [0-9a-f]{64}: unable to start container process: exec: "nonexistent": executable file not found in \$PATH: unknown\r?\n$/);
      });
    });

    it('exec -u: the user and group it asks for', () => {
      withContainer([], (id) => {
        expect(sh(id, 'id -u; id -g; grep ^Uid: /proc/self/status', ['-u', '1000:1001'])).to.equal('1000\n1001\nUid:\t1000\t1000\t1000\t1000\n');
        expect(sh(id, 'id -un', ['-u', 'nobody'])).to.equal('nobody\n');
      });
    });

    it('top: the container\'s processes, exec\'d ones included', () => {
      withContainer([], (id) => {
        const exec = d.ok(['exec', '-d', id, 'sleep', '999']);
        expect(exec).to.equal('');
        waitFor(() => /sleep 999/.test(d.ok(['top', id])), 'the exec\'d sleep in docker top');
        const top = d.ok(['top', id, '-o', 'pid,args']).trim().split('\n');
        expect(top[0]).to.match(/PID\s+COMMAND/);
        expect(top.slice(1).map((l) => l.trim().replace(/^\d+\s+/, '')).sort()).to.deep.equal(['sleep 1000', 'sleep 999']);
        expect(top.slice(1).map((l) => Number(/^\s*(\d+)/.exec(l)[1]))).to.include(Number(inspect(id, '{{.State.Pid}}')));
      });
    });

    it('pause freezes the cgroup, unpause thaws it; exec works again', () => {
      withContainer([], (id) => {
        d.ok(['pause', id]);
        expect(status(id)).to.equal('paused');
        expect(fs.readFileSync(path.join(hostCgroup(id, 'freezer'), 'freezer.state'), 'utf8')).to.equal('FROZEN\n');
        const pid = inspect(id, '{{.State.Pid}}');
        expect(fs.readFileSync(`/proc/${pid}/status`, 'utf8')).to.match(/^State:\s+[DS]/m);
        d.ok(['unpause', id]);
        expect(status(id)).to.equal('running');
        expect(sh(id, 'cat /sys/fs/cgroup/freezer/freezer.state')).to.equal('THAWED\n');
      });
    });

    it('update --memory --cpus: the new limits inside the container', () => {
      withContainer(['--memory', '128m'], (id) => {
        d.ok(['update', '--memory', '64m', '--memory-swap', '96m', '--cpus', '0.5', id]);
        const inside = sh(id, 'cd /sys/fs/cgroup; cat memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us');
        expect(inside.split('\n').filter(Boolean).map(Number)).to.deep.equal([64 << 20, 96 << 20, 50000, 100000]);
        expect(inspect(id, '{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}')).to.equal(`${64 << 20} 500000000`);
      });
    });

    it('stats --no-stream: the container\'s memory and pids as the cgroups count them', () => {
      withContainer(['--memory', '64m', '--pids-limit', '20'], (id) => {
        const stats = JSON.parse(d.ok(['stats', '--no-stream', '--format', '{{json .}}', id]));
        expect(stats.ID).to.equal(id.slice(0, 12));
        expect(stats.MemUsage).to.match(/ \/ 64MiB$/);
        expect(stats.PIDs).to.equal(sh(id, 'cat /sys/fs/cgroup/pids/pids.current').trim() - 1 + '');
      });
    });

    it('logs: what the container wrote, stdout and stderr apart', () => {
      const id = detached([], 'sh', '-c', 'echo to-out; echo to-err >&2; exec sleep 1000');
      try {
        waitFor(() => d.docker(['logs', id]).stderr === 'to-err\n', 'the stderr line in docker logs');
        const logs = d.docker(['logs', id]);
        expect(logs.stdout).to.equal('to-out\n');
        expect(logs.stderr).to.equal('to-err\n');
      } finally {
        d.ok(['rm', '-f', id]);
      }
    });
  });

  describe('stop, kill, restart, rm -f', () => {
    it('stop: SIGTERM first; a process that ignores it gets the timeout\'s SIGKILL', () => {
      const polite = detached([], 'sh', '-c', 'trap "echo got TERM; exit 7" TERM; echo ready; while :; do sleep 0.1; done');
      const stubborn = detached([], 'sh', '-c', 'trap "echo ignored TERM" TERM; echo ready; while :; do sleep 0.1; done');
      try {
        for (const id of [polite, stubborn]) waitFor(() => d.docker(['logs', id]).stdout.includes('ready'), 'ready');
        d.ok(['stop', '-t', '30', polite]);
        expect(inspect(polite, '{{.State.ExitCode}}')).to.equal('7');
        expect(d.ok(['logs', polite])).to.equal('ready\ngot TERM\n');
        d.ok(['stop', '-t', '1', stubborn]);
        expect(inspect(stubborn, '{{.State.Status}} {{.State.ExitCode}}')).to.equal('exited 137');
        expect(d.ok(['logs', stubborn])).to.equal('ready\nignored TERM\n');
      } finally {
        d.ok(['rm', '-f', polite, stubborn]);
      }
    });

    it('kill -s: the signal reaches the container\'s init', () => {
      const id = detached([], 'sh', '-c', 'trap "echo USR1 > /tmp/got" USR1; echo ready; while :; do sleep 0.1; done');
      try {
        waitFor(() => d.docker(['logs', id]).stdout.includes('ready'), 'ready');
        d.ok(['kill', '-s', 'USR1', id]);
        waitFor(() => d.docker(['exec', id, 'cat', '/tmp/got']).stdout === 'USR1\n', 'the USR1 trap ran');
        expect(status(id)).to.equal('running');
        d.ok(['kill', '-s', 'KILL', id]);
        waitFor(() => status(id) === 'exited', 'exited after SIGKILL');
        expect(inspect(id, '{{.State.ExitCode}}')).to.equal('137');
      } finally {
        d.ok(['rm', '-f', id]);
      }
    });

    it('restart: a new init in the same container (its rootfs kept)', () => {
      const id = detached([], 'sh', '-c', 'echo run >> /tmp/runs; exec sleep 1000');
      try {
        const before = inspect(id, '{{.State.Pid}}');
        d.ok(['restart', '-t', '1', id]);
        expect(status(id)).to.equal('running');
        expect(inspect(id, '{{.State.Pid}}')).to.not.equal(before);
        expect(sh(id, 'cat /tmp/runs')).to.equal('run\nrun\n');
        expect(fs.existsSync(`/proc/${before}`)).to.equal(false);
      } finally {
        d.ok(['rm', '-f', id]);
      }
    });

    it('rm -f of a running container: its processes, cgroup and ts-oci state are gone', () => {
      const id = detached([], 'sh', '-c', 'exec sleep 1000');
      const pid = inspect(id, '{{.State.Pid}}');
      expect(fs.existsSync(hostCgroup(id, 'memory'))).to.equal(true);
      d.ok(['rm', '-f', id]);
      expect(d.ok(['ps', '-aq', '--filter', `id=${id}`])).to.equal('');
      waitFor(() => !fs.existsSync(`/proc/${pid}`) || /\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')), 'the init gone');
      expect(fs.existsSync(hostCgroup(id, 'memory'))).to.equal(false);
      expect(d.runtimeStates()).to.not.include(id);
    });
  });

  describe('terminals and stdin', () => {
    it('run -t: the container gets a pty; the output comes back through the shim', () => {
      const cmd = [`DOCKER_CONFIG=${d.env().DOCKER_CONFIG}`, d.dockerArgv().join(' '),
        ...d.runArgs(['-t', '--rm'], 'sh', '-c', '"tty; [ -t 0 ] && [ -t 1 ] && echo stdio-is-the-tty"')].join(' ');
      const r = inPty(cmd);
      expect(r.status, r.output + r.stderr).to.equal(0);
      expect(r.output).to.equal('/dev/pts/0\nstdio-is-the-tty\n');
    });

    it('run -i with stdin piped: the container reads it to the end', () => {
      const r = d.docker(d.runArgs(['-i', '--rm'], 'sh', '-c', 'read first; echo "first: $first"; wc -l'), { input: 'one\ntwo\nthree\n' });
      expect(r.stdout).to.equal('first: one\n2\n');
      expect(r.status).to.equal(0);
    });
  });

  describe('run options', () => {
    it('--read-only --cap-drop ALL --cap-add NET_BIND_SERVICE --pids-limit --user --memory: as runc applies them', () => {
      const flags = ['--rm', '--read-only', '--cap-drop', 'ALL', '--cap-add', 'NET_BIND_SERVICE', '--pids-limit', '50', '--user', '1000', '--memory', '64m'];
      const script = 'id -u; grep -E "^Cap(Prm|Eff|Bnd|Amb)" /proc/self/status; cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/memory/memory.limit_in_bytes; touch /x 2>&1; grep " / " /proc/mounts | cut -d" " -f4 | cut -d, -f1';
      const ours = runOk(flags, 'sh', '-c', script);
      expect(ours).to.equal(['1000', 'CapPrm:\t0000000000000000', 'CapEff:\t0000000000000000', 'CapBnd:\t0000000000000400',
        'CapAmb:\t0000000000000000', '50', String(64 << 20), 'touch: /x: Read-only file system', 'ro', ''].join('\n'));
      expect(d.ok(d.runArgs(flags, 'sh', '-c', script).map((a) => (a === 'ts-oci' ? 'runc' : a)))).to.equal(ours);
    });

    it('--device of a char device: the node, and the device cgroup lets only it through', () => {
      const out = runOk(['--rm', '--device', '/dev/zero:/dev/myzero'], 'sh', '-c',
        'ls -l /dev/myzero | cut -c1; stat -c "%t %T" /dev/myzero; head -c 3 /dev/myzero | od -An -tx1; grep "^c 1:5 " /sys/fs/cgroup/devices/devices.list');
      expect(out).to.equal('c\n1 5\n 00 00 00\nc 1:5 rwm\n');
    });

    it('--tmpfs: a tmpfs with the size and mode asked for', () => {
      const out = runOk(['--rm', '--tmpfs', '/scratch:size=1m,mode=1770'], 'sh', '-c',
        'grep " /scratch " /proc/mounts | cut -d" " -f1,3; stat -c %a /scratch; echo x > /scratch/f && cat /scratch/f; df -k /scratch | tail -1 | awk "{print \\$2}"');
      expect(out).to.equal('tmpfs tmpfs\n1770\nx\n1024\n');
    });

    it('-v bind mounts: read-only refuses writes, read-write writes reach the host', () => {
      const ro = scratchDir();
      const rw = scratchDir();
      fs.writeFileSync(path.join(ro, 'in'), 'from the host\n');
      const out = runOk(['--rm', '-v', `${ro}:/ro:ro`, '-v', `${rw}:/rw`], 'sh', '-c',
        'cat /ro/in; touch /ro/x 2>&1; echo from the container > /rw/out; for m in ro rw; do grep " /$m " /proc/mounts | cut -d" " -f2,4 | cut -d, -f1; done');
      expect(out).to.equal('from the host\ntouch: /ro/x: Read-only file system\n/ro ro\n/rw rw\n');
      expect(fs.readFileSync(path.join(rw, 'out'), 'utf8')).to.equal('from the container\n');
      expect(fs.readdirSync(ro)).to.deep.equal(['in']);
    });

    it('--ulimit: the soft and hard limits inside', () => {
      const out = runOk(['--rm', '--ulimit', 'nofile=256:512', '--ulimit', 'nproc=100:200'], 'sh', '-c', 'ulimit -Sn; ulimit -Hn; ulimit -Su; ulimit -Hu');
      expect(out).to.equal('256\n512\n100\n200\n');
    });

    it('the default seccomp profile is in force: filter mode 2, and a syscall it blocks fails', () => {
      // personality(ADDR_NO_RANDOMIZE) needs no capability; Docker's profile allows only a few personas.
      const out = runOk(['--rm'], 'sh', '-c', 'grep "^Seccomp:" /proc/self/status; linux64 -R true 2>&1; echo "status $?"');
      expect(out).to.equal('Seccomp:\t2\nlinux64: personality(0x40000): Operation not permitted\nstatus 1\n');
    });

    it('--security-opt seccomp=unconfined: no filter, the same syscall works', () => {
      const out = runOk(['--rm', '--security-opt', 'seccomp=unconfined'], 'sh', '-c', 'grep "^Seccomp:" /proc/self/status; linux64 -R true 2>&1; echo "status $?"');
      expect(out).to.equal('Seccomp:\t0\nstatus 0\n');
    });

    it('--init: docker-init is pid 1 and runs the command as its child', () => {
      const out = runOk(['--rm', '--init'], 'sh', '-c', 'tr "\\0" " " < /proc/1/cmdline; echo; echo "my pid $$, parent $PPID"');
      expect(out).to.match(/^\/sbin\/docker-init -- sh -c .*\nmy pid \d+, parent 1\n$/);
      expect(out).to.not.match(/my pid 1,/);
    });

    it('--restart on-failure: the daemon starts it again, up to the count', () => {
      const id = detached(['--restart', 'on-failure:2'], 'sh', '-c', 'echo run >> /tmp/runs; echo "run $(wc -l < /tmp/runs)"; exit 3');
      try {
        waitFor(() => inspect(id, '{{.State.Status}} {{.RestartCount}}') === 'exited 2', 'exited after two restarts');
        expect(d.ok(['logs', id])).to.equal('run 1\nrun 2\nrun 3\n');
        expect(inspect(id, '{{.State.ExitCode}}')).to.equal('3');
      } finally {
        d.ok(['rm', '-f', id]);
      }
    });
  });

  describe('error paths: Docker shows ts-oci\'s one line, runc\'s words', () => {
    // "OCI runtime create failed: <msg>: unknown." is the shim quoting the last
    // error of <bundle>/log.json (--log-format json); stderr would read
    // "<binary> did not terminate successfully: exit status 1: ...".
    const runtimeError = (r) => /^docker: Error response from daemon: failed to create shim task: OCI runtime create failed: (.*): unknown\.$/m.exec(r.stderr)?.[1];

    it('a missing command: 127, and runc\'s phrase for both forms', () => {
      for (const [cmd, phrase] of [['/nope', 'exec: "/nope": stat /nope: no such file or directory'], ['nope', 'exec: "nope": executable file not found in $PATH']]) {
        const r = run(['--rm'], cmd);
        expect(r.status, r.stderr).to.equal(127);
        expect(runtimeError(r), r.stderr).to.match(new RegExp(`^create [0-9a-f]{64}: unable to start container process: ${phrase.replace(/[$.]/g, '\\$&')}$`));
        const byRunc = d.docker(d.runArgs(['--rm'], cmd).map((a) => (a === 'ts-oci' ? 'runc' : a)));
        expect(runtimeError(byRunc)).to.equal(`runc create failed: unable to start container process: ${phrase}`);
      }
      expect(d.runtimeStates()).to.deep.equal([]);
    });

    it('a command that is not executable: 126 (permission denied)', () => {
      const r = run(['--rm'], '/etc/passwd');
      expect(r.status, r.stderr).to.equal(126);
      expect(runtimeError(r)).to.match(/: unable to start container process: exec: "\/etc\/passwd": permission denied$/);
    });

    it('a bad --user and a too small --memory: Docker\'s own refusal, the same as with runc', () => {
      for (const flags of [['--user', 'nosuchuser'], ['--memory', '1m']]) {
        const ours = run(['--rm', ...flags], 'true');
        const byRunc = d.docker(d.runArgs(['--rm', ...flags], 'true').map((a) => (a === 'ts-oci' ? 'runc' : a)));
        expect(ours.status, ours.stderr).to.equal(125);
        expect(daemonError(ours)).to.be.a('string').and.equal(daemonError(byRunc));
      }
      // The smallest limit Docker allows is enough for ts-oci's init.
      expect(runOk(['--rm', '--memory', '6m'], 'cat', '/sys/fs/cgroup/memory/memory.limit_in_bytes')).to.equal(`${6 << 20}\n`);
    });
  });

  // Last (mocha runs a suite's own tests before its sub-suites).
  describe('teardown', () => {
    it('stopping the daemon leaves no process, mount, cgroup or directory behind', async () => {
      expect(d.runtimeStates()).to.deep.equal([]);
      const cleaned = await d.stop();
      expect(cleaned).to.deep.equal([]);
      expect(d.leftovers()).to.deep.equal([]);
    });
  });
});

describe('engines: Docker with its systemd cgroup driver', function () {
  this.timeout(120000);
  let d;
  before(() => {
    d = startDockerd({ cgroupDriver: 'systemd' });
  });
  after(async () => {
    if (d) await d.stop();
  });

  it('on a host without systemd the create fails with one line from ts-oci\'s log naming systemd, and leaves nothing', async () => {
    // The systemd driver cannot reach systemd on the system bus: "systemd: ...".
    const r = d.docker(d.runArgs(['--rm'], 'true'));
    expect(r.status).to.equal(125);
    const m = /^docker: Error response from daemon: failed to create shim task: OCI runtime create failed: (.*): unknown\.$/m.exec(r.stderr);
    expect(m, r.stderr).to.not.equal(null);
    expect(m[1]).to.match(/systemd/);
    expect(d.runtimeStates()).to.deep.equal([]);
    expect(await d.stop()).to.deep.equal([]);
    expect(d.leftovers()).to.deep.equal([]);
  });
});
