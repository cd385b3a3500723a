'use strict';
// OCI hooks against real containers: order, the state on stdin, the
// namespaces each kind runs in (config.md "POSIX-platform Hooks"), argv/env,
// and what each kind's failure does to the lifecycle.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

const PATH = 'PATH=/usr/sbin:/usr/bin:/sbin:/bin';
const RUNTIME_KINDS = ['prestart', 'createRuntime', 'poststart', 'poststop'];
const CONTAINER_KINDS = ['createContainer', 'startContainer'];

/**
 * A /bin/sh hook that records, in `dir`, the state from stdin, its mount
 * and pid namespaces, its exact argv and environment, and its name in
 * `order`. startContainer runs after pivot_root: its /bin/sh and `dir`
 * are the container's, so it logs to the rootfs path seen from inside.
 * `proc` must be a procfs of the hook's pid namespace for $$ to be its pid:
 * before pivot_root (createContainer) that is <rootfs>/proc, not the host's.
 */
function recorder(kind, dir, { extra = '', proc = '/proc' } = {}) {
  const script = [
    `d=${dir}`,
    `cat > $d/${kind}.state`,
    `readlink /proc/self/ns/mnt > $d/${kind}.mnt`,
    `readlink /proc/self/ns/pid > $d/${kind}.pidns`,
    `tr '\\0' '\\n' < ${proc}/$$/environ > $d/${kind}.env`,
    `tr '\\0' ' ' < ${proc}/$$/cmdline > $d/${kind}.argv`,
    extra,
    `echo ${kind} >> $d/order`,
  ].filter(Boolean).join('; ');
  return { path: '/bin/sh', args: ['sh', '-c', script], env: [PATH, `HOOK_KIND=${kind}`] };
}

const failing = (kind) => ({ path: '/bin/sh', args: ['sh', '-c', `echo boom-${kind} >&2; exit 3`], env: [PATH] });

describe('hooks', () => {
  let root;
  const cgroupParent = `/tsoci-hooks-${process.pid}`;
  const hostNs = { mnt: fs.readlinkSync('/proc/self/ns/mnt'), pid: fs.readlinkSync('/proc/self/ns/pid') };
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => {
    h.cleanup(root);
    for (const hier of fs.readdirSync('/sys/fs/cgroup')) {
      const dir = path.join('/sys/fs/cgroup', hier, cgroupParent);
      if (fs.existsSync(dir)) fs.rmdirSync(dir);
    }
  });

  /** A bundle whose hooks log to <bundle>/rootfs/hooklog (/hooklog inside); `hooks(hostLog)` gives config.hooks. */
  function hookBundle(hooks, edit) {
    const cgroupsPath = `${cgroupParent}/${h.uniqueId('cg')}`;
    const bundle = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      c.linux.cgroupsPath = cgroupsPath;
      if (edit) edit(c);
    });
    const log = path.join(bundle, 'rootfs/hooklog');
    fs.mkdirSync(log);
    const configPath = path.join(bundle, 'config.json');
    const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
    config.hooks = hooks(log);
    fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
    return { bundle, log, cgroupsPath, id: h.uniqueId('hk') };
  }

  const readLog = (log, file) => fs.readFileSync(path.join(log, file), 'utf8');
  const order = (log) => (fs.existsSync(path.join(log, 'order')) ? readLog(log, 'order').trim().split('\n') : []);
  const cgroupDirsLeft = (cgroupsPath) =>
    fs.readdirSync('/sys/fs/cgroup').map((hier) => path.join('/sys/fs/cgroup', hier, cgroupsPath)).filter((d) => fs.existsSync(d));

  /** Create must fail with one line naming `kind`, leave nothing behind, and run poststop. */
  function expectCreateFailure(b, kind, pattern) {
    const r = h.cli(root, ['create', '-b', b.bundle, b.id]);
    expect(r.status, r.stderr).to.not.equal(0);
    expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
    expect(r.stderr).to.contain(kind);
    expect(r.stderr).to.match(pattern);
    expect(fs.existsSync(path.join(root, b.id)), 'state dir').to.equal(false);
    // A cgroup dir cannot be removed while it holds a process: gone means no process either.
    expect(cgroupDirsLeft(b.cgroupsPath), 'cgroups').to.deep.equal([]);
    return r;
  }

  it('runs all six hooks in lifecycle order, with the state and namespaces of their kind', () => {
    const annotations = { 'org.example.hooks': `yes-${process.pid}` };
    const b = hookBundle(
      (log) => ({
        prestart: [recorder('prestart', log)],
        createRuntime: [recorder('createRuntime', log)],
        createContainer: [recorder('createContainer', log, { proc: path.join(log, '../proc') })],
        startContainer: [recorder('startContainer', '/hooklog')],
        // Read the init's cmdline: poststart must see the user process already executed.
        poststart: [recorder('poststart', log, { extra: `pid=$(sed 's/.*"pid":\\([0-9]*\\).*/\\1/' $d/poststart.state); tr '\\0' ' ' < /proc/$pid/cmdline > $d/poststart.target` })],
        poststop: [recorder('poststop', log)],
      }),
      (c) => (c.annotations = annotations),
    );
    const created = h.cli(root, ['create', '-b', b.bundle, b.id]);
    expect(created.stderr).to.equal('');
    expect(created.status).to.equal(0);
    expect(order(b.log)).to.deep.equal(['prestart', 'createRuntime', 'createContainer']);
    const pid = JSON.parse(h.cli(root, ['state', b.id]).stdout).pid;
    const containerNs = { mnt: fs.readlinkSync(`/proc/${pid}/ns/mnt`), pid: fs.readlinkSync(`/proc/${pid}/ns/pid`) };
    expect(containerNs.mnt).to.not.equal(hostNs.mnt);

    const started = h.cli(root, ['start', b.id]);
    expect(started.stderr).to.equal('');
    expect(started.status).to.equal(0);
    expect(order(b.log)).to.deep.equal(['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart']);
    expect(readLog(b.log, 'poststart.target')).to.equal('sleep 1000 ');

    expect(h.cli(root, ['kill', b.id, 'KILL']).status).to.equal(0);
    h.waitFor(() => JSON.parse(h.cli(root, ['state', b.id]).stdout).status === 'stopped', 'stopped');
    expect(order(b.log)).to.have.length(5);
    expect(h.cli(root, ['delete', b.id]).status).to.equal(0);
    expect(order(b.log)).to.deep.equal(['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop']);

    const statuses = { prestart: 'creating', createRuntime: 'creating', createContainer: 'creating', startContainer: 'created', poststart: 'running', poststop: 'stopped' };
    for (const [kind, status] of Object.entries(statuses)) {
      const state = JSON.parse(readLog(b.log, `${kind}.state`));
      expect(state, kind).to.include({ id: b.id, status, bundle: b.bundle, ociVersion: '1.3.0' });
      expect(state.annotations, kind).to.deep.equal(annotations);
      if (kind !== 'poststop') expect(state.pid, kind).to.equal(pid);
    }
    for (const kind of RUNTIME_KINDS) {
      expect({ mnt: readLog(b.log, `${kind}.mnt`).trim(), pid: readLog(b.log, `${kind}.pidns`).trim() }, kind).to.deep.equal(hostNs);
    }
    for (const kind of CONTAINER_KINDS) {
      expect({ mnt: readLog(b.log, `${kind}.mnt`).trim(), pid: readLog(b.log, `${kind}.pidns`).trim() }, kind).to.deep.equal(containerNs);
    }
  });

  it('args[0] is the hook\'s argv[0] and its environment is exactly hooks[].env', () => {
    const b = hookBundle((log) => {
      const hook = (kind) => {
        const r = recorder(kind, log, kind === 'createContainer' ? { proc: path.join(log, '../proc') } : {});
        return { ...r, args: [`argv0-of-${kind}`, ...r.args.slice(1)], env: [PATH, `HOOK_KIND=${kind}`, 'SPACED=a b'] };
      };
      return { prestart: [hook('prestart')], createContainer: [hook('createContainer')] };
    });
    const r = h.cli(root, ['create', '-b', b.bundle, b.id], { env: { TSOCI_LEAKED: 'runtime-env' } });
    expect(r.status, r.stderr).to.equal(0);
    for (const kind of ['prestart', 'createContainer']) {
      expect(readLog(b.log, `${kind}.argv`), kind).to.match(new RegExp(`^argv0-of-${kind} -c d=`));
      expect(readLog(b.log, `${kind}.env`).trim().split('\n'), kind).to.deep.equal([PATH, `HOOK_KIND=${kind}`, 'SPACED=a b']);
    }
    expect(h.cli(root, ['delete', b.id]).status).to.equal(0);
  });

  for (const kind of ['prestart', 'createRuntime', 'createContainer']) {
    it(`a failing ${kind} hook fails create, names the hook, leaves nothing and runs poststop`, () => {
      // The recorder after the failing hook must not run: the first failure ends the lifecycle.
      const b = hookBundle((log) => ({ [kind]: [failing(kind), recorder(kind, log)], poststop: [recorder('poststop', log)] }));
      expectCreateFailure(b, kind, new RegExp(`boom-${kind}`));
      expect(order(b.log)).to.deep.equal(['poststop']);
    });
  }

  it('a failing startContainer hook fails start and destroys the container', () => {
    const b = hookBundle((log) => ({
      startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'echo boom-startContainer >&2; exit 4'], env: [PATH] }],
      poststop: [recorder('poststop', log)],
    }));
    expect(h.cli(root, ['create', '-b', b.bundle, b.id]).status).to.equal(0);
    const pid = JSON.parse(h.cli(root, ['state', b.id]).stdout).pid;
    const r = h.cli(root, ['start', b.id]);
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/startContainer.*boom-startContainer/);
    expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
    expect(h.processState(pid)).to.be.oneOf([undefined, 'Z']);
    expect(cgroupDirsLeft(b.cgroupsPath)).to.deep.equal([]);
    expect(h.cli(root, ['state', b.id]).stderr).to.contain('does not exist');
    expect(order(b.log)).to.deep.equal(['poststop']);
  });

  it('a failing poststart hook fails start and stops the container', () => {
    const b = hookBundle((log) => ({ poststart: [failing('poststart')], poststop: [recorder('poststop', log)] }));
    expect(h.cli(root, ['create', '-b', b.bundle, b.id]).status).to.equal(0);
    const pid = JSON.parse(h.cli(root, ['state', b.id]).stdout).pid;
    const r = h.cli(root, ['start', b.id]);
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/poststart.*boom-poststart/);
    expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
    expect(h.processState(pid)).to.be.oneOf([undefined, 'Z']);
    expect(cgroupDirsLeft(b.cgroupsPath)).to.deep.equal([]);
    expect(order(b.log)).to.deep.equal(['poststop']);
    h.cli(root, ['delete', '--force', b.id]);
  });

  it('a failing poststop hook only warns: delete succeeds and later poststop hooks still run', () => {
    const b = hookBundle((log) => ({ poststop: [failing('poststop'), recorder('poststop', log)] }));
    expect(h.cli(root, ['create', '-b', b.bundle, b.id]).status).to.equal(0);
    const r = h.cli(root, ['delete', b.id]);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stderr).to.match(/poststop.*boom-poststop/);
    expect(order(b.log)).to.deep.equal(['poststop']);
    expect(fs.existsSync(path.join(root, b.id))).to.equal(false);
    expect(cgroupDirsLeft(b.cgroupsPath)).to.deep.equal([]);
  });

  for (const kind of ['prestart', 'createContainer']) {
    it(`a ${kind} hook that outlives its timeout is killed and fails create`, () => {
      // A recognisable argv[0], so the killed hook can be looked for afterwards.
      const argv0 = `tsoci-slow-hook-${process.pid}-${kind}`;
      const b = hookBundle(() => ({ [kind]: [{ path: '/bin/sleep', args: [argv0, '600'], timeout: 1 }] }));
      expectCreateFailure(b, kind, /timed out/);
      const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
      expect(ps).to.not.contain(argv0);
    });
  }
});
