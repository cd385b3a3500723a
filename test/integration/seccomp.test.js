'use strict';
// linux.seccomp from inside real busybox containers: the filter the helper
// loads right before execve (or before the credential steps), NOTIFY to an
// agent, and the failures that must stop the container.
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const { fixture } = require('../fixtures/configs/make-bundle');
const { runPlan } = require('../helpers/run-plan');
const { compileSeccomp } = require('../../dist/seccomp/compile');

const helper = path.join(h.repo, 'build/Release/ts-oci-init');
// One instruction the kernel refuses (opcode 0xffff): the load itself fails.
const BAD_BPF = Buffer.from([0xff, 0xff, 0, 0, 0, 0, 0, 0]);

const allowAllBut = (syscalls) => ({ defaultAction: 'SCMP_ACT_ALLOW', syscalls });

describe('seccomp (inside the container)', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  const run = (script, edit) => h.runScript(root, script, edit);
  const withProfile = (seccomp, nnp) => (c) => {
    c.linux.seccomp = seccomp;
    if (nnp !== undefined) c.process.noNewPrivileges = nnp;
  };

  it('a denied syscall fails with EPERM; /proc/self/status shows the filter and NoNewPrivs', () => {
    const r = run('grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; mkdir /tmp/x || echo refused',
      withProfile(allowAllBut([{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }]), true));
    expect(r.stdout).to.equal('NoNewPrivs:\t1\nSeccomp:\t2\nrefused\n');
    expect(r.stderr).to.equal("mkdir: can't create directory '/tmp/x': Operation not permitted\n");
    expect(r.status).to.equal(0);
  });

  it('a custom errnoRet arrives, also without noNewPrivileges (loaded before the credential steps)', () => {
    const r = run('grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; mkdir /tmp/x || echo refused',
      withProfile(allowAllBut([{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]), false));
    expect(r.stdout).to.equal('NoNewPrivs:\t0\nSeccomp:\t2\nrefused\n');
    expect(r.stderr).to.equal("mkdir: can't create directory '/tmp/x': Function not implemented\n");
  });

  it('argument conditions: kill with signal 9 refused, signal 0 allowed', () => {
    const r = run('kill -0 $$ && echo sig0-ok; kill -9 $$ || echo sig9-refused',
      withProfile(allowAllBut([{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 9, op: 'SCMP_CMP_EQ' }] }])));
    expect(r.stdout).to.equal('sig0-ok\nsig9-refused\n');
    expect(r.status).to.equal(0);
  });

  for (const nnp of [true, false]) {
    it(`a Docker-shaped default profile runs a normal container (noNewPrivileges ${nnp}), startContainer hook included`, () => {
      const r = run('echo hello; id -u; ls / >/dev/null && echo listed; grep ^Seccomp: /proc/self/status; unshare -U true || echo no-userns', (c) => {
        withProfile(fixture('../seccomp/docker-default-shaped'), nnp)(c);
        c.hooks = { startContainer: [{ path: '/bin/true' }] };
      });
      expect(r.stdout).to.equal('hello\n0\nlisted\nSeccomp:\t2\nno-userns\n');
      expect(r.status, r.stderr).to.equal(0);
    });
  }

  it('a deny-all default fails the run at once with one clear line, leaving nothing', () => {
    const r = run('echo never', withProfile({ defaultAction: 'SCMP_ACT_ERRNO' }));
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^ts-oci: run \S+: \S+\/config\.json: \/linux\/seccomp: the profile denies execve: the container process could never start\n$/);
    expect(fs.existsSync(path.join(root, r.id))).to.equal(false);
  });

  it('a profile that refuses write(2) fails start, naming that possibility: never a false success', () => {
    const r = run('echo never', withProfile(allowAllBut([{ names: ['write'], action: 'SCMP_ACT_ERRNO' }]), true));
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^ts-oci: run \S+: container init exited before running the process \(.*, or did its seccomp profile refuse write\(2\) to the exec fifo\?\)\n$/);
    expect(fs.existsSync(path.join(root, r.id))).to.equal(false);
  });

  it('a profile that refuses a step after the load stops the container with that step: never unfiltered', () => {
    const r = run('echo never', withProfile(allowAllBut([{ names: ['capset'], action: 'SCMP_ACT_ERRNO' }]), false));
    expect(r.status).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^ts-oci: run \S+: capset: EPERM\n$/);
    expect(fs.existsSync(path.join(root, r.id))).to.equal(false);
  });

  describe('a program the kernel refuses (ts-oci-init driven directly)', () => {
    const isolated = ['unshare', '--mount', '--uts', '--ipc', '--net', '--pid', '--fork', '--propagation', 'private'];
    const marker = () => path.join(h.work, `ran-${process.pid}`);
    const planRun = (ops) => runPlan(helper, ops, { wrap: isolated, stdio: ['ignore', 'pipe', 'pipe'] });
    const touch = () => ({ op: 'exec', args: ['/bin/busybox', 'touch', marker()], env: [], preserveFds: 0 });

    it('stops the plan with the load error: the process never runs, unfiltered or not', async () => {
      fs.rmSync(marker(), { force: true });
      const r = await planRun([{ op: 'seccomp', bpf: BAD_BPF, flags: 0, atExec: false }, touch()]);
      const error = r.frames.find((f) => f.frame === 'error');
      expect(error).to.include({ syscall: 'seccomp', step: 0, detail: 'load seccomp filter: invalid argument' });
      expect(r.code).to.equal(1);
      expect(fs.existsSync(marker())).to.equal(false);
    });

    it('deferred to EXEC, the failure is EXEC\'s, before execve', async () => {
      fs.rmSync(marker(), { force: true });
      const r = await planRun([{ op: 'seccomp', bpf: BAD_BPF, flags: 0, atExec: true }, touch()]);
      expect(r.frames.find((f) => f.frame === 'error')).to.include({ syscall: 'seccomp', step: 1, detail: 'load seccomp filter: invalid argument' });
      expect(fs.existsSync(marker())).to.equal(false);
    });

    it('refuses a program that is not whole instructions, and flags it does not know', async () => {
      const short = await planRun([{ op: 'seccomp', bpf: Buffer.alloc(12), flags: 0, atExec: false }, touch()]);
      expect(short.frames.find((f) => f.frame === 'error').detail).to.equal('seccomp program of 12 bytes is malformed');
      const flags = await planRun([{ op: 'seccomp', bpf: BAD_BPF, flags: 1 << 10, atExec: false }, touch()]);
      expect(flags.frames.find((f) => f.frame === 'error').detail).to.equal('unknown seccomp filter flags 0x400');
    });

    it('a good program with TSYNC, LOG and SPEC_ALLOW loads and filters', async () => {
      fs.rmSync(marker(), { force: true });
      const prog = compileSeccomp({
        defaultAction: 'SCMP_ACT_ALLOW',
        flags: ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW'],
        syscalls: [{ names: ['utimensat', 'openat', 'open'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }],
      }, '/t/config.json');
      expect(prog.flags).to.equal(7);
      const r = await planRun([{ op: 'seccomp', bpf: prog.bpf, flags: prog.flags, atExec: true }, touch()]);
      expect(r.frames.filter((f) => f.frame === 'error')).to.deep.equal([]);
      expect(r.stderr).to.match(/touch: .*Permission denied/);
      expect(fs.existsSync(marker())).to.equal(false);
    });
  });

  describe('exec', () => {
    const started = [];
    after(() => started.forEach((id) => h.cli(root, ['delete', '--force', id])));

    function startContainer(edit) {
      const bundle = h.makeBundle((c) => {
        c.process.args = ['sleep', '1000'];
        edit(c);
      });
      const id = h.uniqueId('scexec');
      const r = h.cli(root, ['run', '--detach', '-b', bundle, id]);
      if (r.status !== 0) throw new Error(r.stderr);
      started.push(id);
      return id;
    }

    for (const nnp of [true, false]) {
      it(`an exec'd process gets the container's filter (noNewPrivileges ${nnp})`, () => {
        const id = startContainer(withProfile(allowAllBut([{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }]), nnp));
        const r = h.cli(root, ['exec', id, 'sh', '-c', 'grep -E "^(Seccomp|NoNewPrivs):" /proc/self/status; mkdir /tmp/e || echo refused']);
        expect(r.stdout).to.equal(`NoNewPrivs:\t${nnp ? 1 : 0}\nSeccomp:\t2\nrefused\n`);
        expect(r.stderr).to.equal("mkdir: can't create directory '/tmp/e': Function not implemented\n");
      });
    }
  });

  describe('SCMP_ACT_NOTIFY', () => {
    let agent;
    let sock;
    let out;
    afterEach(() => agent && agent.kill());

    function startAgent() {
      sock = path.join(h.work, `agent-${process.pid}.sock`);
      out = path.join(h.work, `agent-${process.pid}.json`);
      for (const f of [sock, out, `${out}.answered`]) fs.rmSync(f, { force: true });
      agent = spawn('python3', [path.join(__dirname, '../helpers/seccomp-agent.py'), sock, out], { stdio: ['ignore', 'pipe', 'inherit'] });
      return new Promise((resolve, reject) => {
        agent.stdout.once('data', resolve);
        agent.once('exit', (code) => reject(new Error(`agent exited ${code}`)));
      });
    }

    it('the listener and the container process state reach the agent, which answers one call', async () => {
      await startAgent();
      const r = run('mkdir /tmp/x && echo mkdir-returned-0; test -d /tmp/x && echo made || echo not-made', withProfile({
        ...allowAllBut([{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_NOTIFY' }]), listenerPath: sock, listenerMetadata: 'meta=1',
      }, true));
      // The agent said "success, 0" without doing it: the call went through the agent.
      expect(r.stdout, r.stderr).to.equal('mkdir-returned-0\nnot-made\n');
      expect(fs.readFileSync(`${out}.answered`, 'utf8')).to.equal('83'); // mkdir on x86_64
      const state = JSON.parse(fs.readFileSync(out, 'utf8'));
      expect(state).to.include({ ociVersion: '1.3.0', metadata: 'meta=1', receivedFds: 1 });
      expect(state.fds).to.deep.equal(['seccompFd']);
      expect(state.state).to.include({ id: r.id, status: 'creating', pid: state.pid });
      expect(state.pid).to.be.above(0);
    });

    it("exec: the exec'd process's listener goes to the agent too", async () => {
      await startAgent();
      const bundle = h.makeBundle((c) => {
        c.process.args = ['sleep', '1000'];
        withProfile({ ...allowAllBut([{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_NOTIFY' }]), listenerPath: sock }, true)(c);
      });
      const id = h.uniqueId('notifyexec');
      const r = h.cli(root, ['run', '--detach', '-b', bundle, id]);
      expect(r.status, r.stderr).to.equal(0);
      try {
        // The first agent got the init's listener; a second one takes the exec's.
        h.waitFor(() => fs.existsSync(out), 'the first agent wrote the state');
        expect(JSON.parse(fs.readFileSync(out, 'utf8')).state.status).to.equal('creating');
        agent.kill();
        await startAgent();
        const e = h.cli(root, ['exec', id, 'sh', '-c', 'mkdir /tmp/x && echo mkdir-returned-0; test -d /tmp/x || echo not-made']);
        expect(e.stdout, e.stderr).to.equal('mkdir-returned-0\nnot-made\n');
        const state = JSON.parse(fs.readFileSync(out, 'utf8'));
        expect(state.state).to.include({ id, status: 'running' });
        expect(state.pid).to.not.equal(state.state.pid);
      } finally {
        h.cli(root, ['delete', '--force', id]);
      }
    });

    it('a listenerPath nobody listens on fails the create clearly, leaving nothing', () => {
      const missing = path.join(h.work, `nobody-${process.pid}.sock`);
      const bundle = h.makeBundle(withProfile({ ...allowAllBut([{ names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }]), listenerPath: missing }));
      const id = h.uniqueId('notify');
      const r = h.cli(root, ['create', '-b', bundle, id]);
      expect(r.status).to.equal(1);
      expect(r.stderr).to.equal(`ts-oci: create ${id}: linux.seccomp.listenerPath ${missing}: cannot send the seccomp listener: ENOENT\n`);
      expect(fs.existsSync(path.join(root, id))).to.equal(false);
    });
  });

  it('without libseccomp on the host, a profile fails with one line naming the library', () => {
    const lib = fs.realpathSync('/lib/x86_64-linux-gnu/libseccomp.so.2');
    const bundle = h.makeBundle(withProfile(allowAllBut([{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO' }])));
    const id = h.uniqueId('nolib');
    // A private mount namespace where the library is an empty file: dlopen fails as on a host without it.
    const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c',
      `mount --bind /dev/null "$0" && exec "$1" --root "$2" run -b "$3" "$4"`, lib, h.bin, root, bundle, id], { encoding: 'utf8' });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(new RegExp(`^ts-oci: run ${id}: linux\\.seccomp needs libseccomp: libseccomp\\.so\\.2 could not be loaded \\(.*\\): install libseccomp \\(Debian and Ubuntu: apt-get install libseccomp2\\)\\n$`));
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });
});
