'use strict';
// The Node API as a user writes it: require the package root, drive real
// containers through Container, catch typed errors. The containers inherit
// this process's stdio, so they report through files in their rootfs.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

const api = require(h.repo);
const { Container, ConfigError, StateError, NotFoundError, ContainerSystemError, RuntimeError } = api;

describe('library API (require("ts-oci"))', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  /** A bundle running `sh -c script`; the script's files land in `<bundle>/rootfs`. */
  const bundleFor = (script, edit) =>
    h.makeBundle((c) => {
      c.process.args = ['sh', '-c', script];
      if (edit) edit(c);
    });
  const bundleOf = new Map();
  const create = async (script, edit) => {
    const bundle = bundleFor(script, edit);
    const c = await Container.create({ id: h.uniqueId('lib'), bundle, root });
    bundleOf.set(c, bundle);
    return c;
  };
  const rootfsFile = (c, name) => path.join(bundleOf.get(c), 'rootfs', name);

  it('is the package root, through package.json main/exports, with the documented exports', () => {
    expect(require.resolve(h.repo)).to.equal(path.join(h.repo, 'dist/index.js'));
    const pkg = require(path.join(h.repo, 'package.json'));
    expect(pkg.exports['.'].default).to.equal('./dist/index.js');
    for (const name of ['Container', 'ConfigError', 'StateError', 'NotFoundError', 'ContainerSystemError', 'RuntimeError', 'defaultSpec']) {
      expect(api[name], name).to.be.a('function');
    }
    expect(new NotFoundError('x')).to.be.instanceOf(StateError).and.instanceOf(RuntimeError).and.instanceOf(Error);
  });

  it('onWarning receives what would otherwise be lost (a failing poststop hook); the default is process.emitWarning', async () => {
    const failingPoststop = (c) => (c.hooks = { poststop: [{ path: '/bin/false' }] });
    const got = [];
    const c = await Container.create({ id: h.uniqueId('lib'), bundle: bundleFor('exit 0', failingPoststop), root, onWarning: (m) => got.push(m) });
    await c.delete({ force: true });
    expect(got).to.have.length(1);
    expect(got[0]).to.match(/poststop/);

    const emitted = [];
    const listener = (w) => emitted.push(w);
    process.on('warning', listener);
    try {
      const d = await Container.create({ id: h.uniqueId('lib'), bundle: bundleFor('exit 0', failingPoststop), root });
      await d.delete({ force: true });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(emitted.map((w) => w.name)).to.deep.equal(['TsOciWarning']);
    expect(emitted[0].message).to.equal(got[0]);
  });

  it('create → start → wait → delete with typed state and status transitions', async () => {
    const c = await create('echo inside > /out; exit 0');
    const bundle = bundleOf.get(c);
    const created = await c.state();
    expect(created).to.include({ id: c.id, status: 'created', bundle, rootfs: path.join(bundle, 'rootfs'), ociVersion: '1.3.0' });
    expect(created.pid).to.be.a('number').above(1);
    expect(new Date(created.created).toISOString()).to.equal(created.created);
    // The init is our child, waiting in the helper for start.
    expect(fs.readFileSync(`/proc/${created.pid}/status`, 'utf8')).to.contain(`PPid:\t${process.pid}\n`);

    const exited = c.wait();
    await c.start();
    expect(await exited).to.equal(0);
    const stopped = await c.state();
    expect(stopped).to.include({ id: c.id, status: 'stopped', pid: 0 });
    expect(fs.readFileSync(rootfsFile(c, 'out'), 'utf8')).to.equal('inside\n');
    expect(h.processState(created.pid)).to.equal(undefined, 'reaped, not a zombie');

    await c.delete();
    expect(fs.existsSync(path.join(root, c.id))).to.equal(false);
    await expectRejection(c.state(), NotFoundError, 'does not exist');
  });

  it('wait() resolves with the exit code of the container process', async () => {
    const c = await create('exit 3');
    await c.start();
    expect(await c.wait()).to.equal(3);
    // A second wait shares the one reaped status.
    expect(await c.wait()).to.equal(3);
    await c.delete();
  });

  it('running while its process lives', async () => {
    const c = await create('sleep 1000');
    await c.start();
    expect((await c.state()).status).to.equal('running');
    await expectRejection(c.delete(), StateError, 'that is not stopped: running');
    // wait() watches the pidfd: no timer is armed to poll the state.
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const timersBefore = timers();
    const exited = c.wait();
    await new Promise(setImmediate);
    expect(timers()).to.equal(timersBefore);
    await c.kill('SIGKILL');
    expect(await exited).to.equal(137);
    expect((await c.state()).status).to.equal('stopped');
    await c.delete();
  });

  it('kill() sends SIGTERM by default (a trap in the container sees it)', async () => {
    const c = await create('trap "echo TERM > /sig; exit 7" TERM; touch /ready; while :; do sleep 0.1; done');
    await c.start();
    await until(() => fs.existsSync(rootfsFile(c, 'ready')));
    await c.kill();
    expect(await c.wait()).to.equal(7);
    expect(fs.readFileSync(rootfsFile(c, 'sig'), 'utf8')).to.equal('TERM\n');
    await c.delete();
  });

  for (const signal of [9, 'KILL', 'SIGKILL']) {
    it(`kill(${JSON.stringify(signal)}) kills the container: wait() resolves 137`, async () => {
      const c = await create('sleep 1000');
      await c.start();
      await c.kill(signal);
      expect(await c.wait()).to.equal(137);
      await c.delete();
    });
  }

  it('delete({ force: true }) kills a running container and removes it', async () => {
    const c = await create('sleep 1000');
    await c.start();
    const { pid } = await c.state();
    const exited = c.wait();
    await c.delete({ force: true });
    expect(await exited).to.equal(137);
    expect(h.processState(pid)).to.equal(undefined);
    expect(fs.existsSync(path.join(root, c.id))).to.equal(false);
    expect((await Container.list({ root })).map((s) => s.id)).to.not.include(c.id);
  });

  it('delete() of a created container kills the waiting init', async () => {
    const c = await create('touch /started');
    const { pid } = await c.state();
    await c.delete();
    expect(h.processState(pid)).to.equal(undefined);
    expect(fs.existsSync(rootfsFile(c, 'started'))).to.equal(false);
  });

  it('load() attaches to a container the CLI created; list() shows it', async () => {
    const bundle = bundleFor('echo from-cli > /out; sleep 1000');
    const id = h.uniqueId('cli');
    expect(h.cli(root, ['create', '-b', bundle, id]).status).to.equal(0);
    const c = await Container.load(id, { root });
    expect(c.id).to.equal(id);
    expect((await c.state()).status).to.equal('created');
    const listed = await Container.list({ root });
    expect(listed.find((s) => s.id === id)).to.include({ status: 'created', bundle });

    await c.start();
    expect((await c.state()).status).to.equal('running');
    await until(() => fs.existsSync(path.join(bundle, 'rootfs/out')));
    await c.kill('KILL');
    // Not our child (the CLI was its parent): the exit is seen, the status is not ours to reap.
    expect(await c.wait()).to.equal(null);
    expect((await c.state()).status).to.equal('stopped');
    await c.delete();
    expect(h.cli(root, ['state', id]).stderr).to.contain('does not exist');
  });

  it('load() of an unknown id rejects with NotFoundError "does not exist"', async () => {
    const e = await expectRejection(Container.load(`nope-${process.pid}`, { root }), NotFoundError, 'does not exist');
    expect(e).to.be.instanceOf(StateError);
  });

  it('a failing mount is a ContainerSystemError with code, syscall, path and step; nothing is left', async () => {
    const id = h.uniqueId('lib');
    const bundle = bundleFor('true', (c) => c.mounts.push({ destination: '/mnt/x', type: 'nosuchfs', source: 'none' }));
    const e = await expectRejection(Container.create({ id, bundle, root }), ContainerSystemError, 'mount');
    expect(e).to.include({ code: 'ENODEV', errno: 19, syscall: 'mount', path: '/mnt/x' });
    expect(e.step).to.contain('/mnt/x').and.contain('mount');
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
    await expectRejection(Container.load(id, { root }), NotFoundError, 'does not exist');
  });

  it('a bad config is a ConfigError naming the file and the field', async () => {
    const id = h.uniqueId('lib');
    const bundle = bundleFor('true', (c) => (c.process.args = 'true'));
    const e = await expectRejection(Container.create({ id, bundle, root }), ConfigError, '/process/args');
    expect(e.file).to.equal(path.join(bundle, 'config.json'));
    expect(e.field).to.equal('/process/args');
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });

  it('a container waited on keeps waiting while another is deleted, and each gets its own status', async () => {
    const a = await create('sleep 1000');
    const b = await create('sleep 1000');
    await a.start();
    await b.start();
    let aExit;
    const aWait = a.wait().then((s) => (aExit = s));
    await b.delete({ force: true });
    expect(await b.wait()).to.equal(137);
    await new Promise(setImmediate);
    expect(aExit).to.equal(undefined, 'a is still running');
    expect((await a.state()).status).to.equal('running');
    await a.kill(15);
    // sh is pid 1 of its namespace and has no TERM handler: the signal is ignored.
    await a.kill(9);
    await aWait;
    expect(aExit).to.equal(137);
    await a.delete();
  });

  it('a pidfd number reused after a failed create or a delete of a loaded container reports the new exit', async () => {
    // Both paths reap an init through a pidfd and close it; a cached exit status
    // keyed by the fd number must not outlive the fd.
    const failing = bundleFor('true', (c) => c.mounts.push({ destination: '/mnt/x', type: 'nosuchfs', source: 'none' }));
    await expectRejection(Container.create({ id: h.uniqueId('lib'), bundle: failing, root }), ContainerSystemError, 'ENODEV');
    const first = await create('exit 5');
    await first.start();
    expect(await first.wait()).to.equal(5);
    await first.delete();

    const id = h.uniqueId('cli');
    expect(h.cli(root, ['create', '-b', bundleFor('sleep 1000'), id]).status).to.equal(0);
    await (await Container.load(id, { root })).delete({ force: true });
    const second = await create('exit 6');
    await second.start();
    expect(await second.wait()).to.equal(6);
    await second.delete();
  });

  it('create leaves the event loop free while the helper works', async () => {
    // The createContainer hook runs inside the helper; meanwhile our timers must keep firing.
    const bundle = bundleFor('true', (c) => {
      c.hooks = { createContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'sleep 0.5'] }] };
    });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const c = await Container.create({ id: h.uniqueId('loop'), bundle, root });
      expect(ticks).to.be.above(0);
      await c.delete();
    } finally {
      clearInterval(timer);
    }
  });

  it('20 containers in one process leave no fd, zombie or state dir behind', async () => {
    // One warm-up: the addon and the sealed helper memfd are opened once per process.
    const warm = await create('true');
    await warm.start();
    await warm.wait();
    await warm.delete();
    const fdsBefore = openFds();
    const pids = [];
    const ids = [];
    for (let i = 0; i < 20; i++) {
      const c = await create(i % 2 ? 'exit 0' : 'sleep 1000');
      ids.push(c.id);
      pids.push((await c.state()).pid);
      if (i % 4 === 3) {
        await c.delete(); // deleted while created
        continue;
      }
      await c.start();
      if (i % 2) expect(await c.wait()).to.equal(0);
      else await c.delete({ force: true });
      await c.delete({ force: true }).catch((e) => expect(e).to.be.instanceOf(NotFoundError));
    }
    expect(openFds()).to.deep.equal(fdsBefore);
    expect(zombieChildren()).to.deep.equal([]);
    for (const pid of pids) expect(h.processState(pid), `pid ${pid}`).to.equal(undefined);
    expect(fs.readdirSync(root).filter((id) => ids.includes(id))).to.deep.equal([]);
  });

  it('does not switch the process\'s stdio to non-blocking', () => {
    // A fresh process whose stdio are a pipe and files, as a service would have.
    const probe = `
      const fs = require('fs');
      const flags = () => [0, 1, 2].map((fd) => parseInt(/flags:\\s+(\\d+)/.exec(fs.readFileSync('/proc/self/fdinfo/' + fd, 'utf8'))[1], 8));
      const before = flags();
      (async () => {
        const { Container } = require(${JSON.stringify(h.repo)});
        const c = await Container.create({ id: ${JSON.stringify(h.uniqueId('stdio'))}, bundle: ${JSON.stringify(bundleFor('echo out; echo err >&2'))}, root: ${JSON.stringify(root)} });
        await c.start();
        const status = await c.wait();
        await c.delete();
        fs.writeSync(2, JSON.stringify({ before, after: flags(), status }));
      })();`;
    const outFile = path.join(h.work, `stdio-${process.pid}`);
    const out = fs.openSync(outFile, 'w+');
    try {
      const r = spawnSync(process.execPath, ['-e', probe], { stdio: ['pipe', out, 'pipe'], input: '', timeout: 60000 });
      const report = JSON.parse(r.stderr.toString().split('\n').filter(Boolean).pop());
      expect(report.status).to.equal(0);
      expect(r.status).to.equal(0);
      expect(report.after).to.deep.equal(report.before);
      for (const f of report.after) expect(f & 0o4000, 'O_NONBLOCK').to.equal(0);
      expect(fs.readFileSync(outFile, 'utf8')).to.equal('out\n');
    } finally {
      fs.closeSync(out);
      fs.rmSync(outFile, { force: true });
    }
  });

  it('ships TypeScript types that match the API (tsc --noEmit on test/types)', function () {
    this.timeout(120000);
    const project = path.join(h.repo, 'test/types/tsconfig.json');
    const r = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', project], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    // The check can fail: a wrong claim about the API is a compile error.
    const bad = path.join(h.repo, 'test/types', `bad-${process.pid}.ts`);
    fs.writeFileSync(bad, "import { Container } from 'ts-oci';\nexport const n: Promise<string> = Container.prototype.wait();\n");
    try {
      const r2 = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '--noEmit', '-p', project], { encoding: 'utf8' });
      expect(r2.status).to.not.equal(0);
      expect(r2.stdout).to.contain(`bad-${process.pid}.ts`).and.contain('Promise<number | null>');
    } finally {
      fs.rmSync(bad, { force: true });
    }
  });
});

async function expectRejection(promise, type, text) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a rejection').to.be.instanceOf(type);
  expect(error.message).to.contain(text);
  return error;
}

function openFds() {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      fs.readlinkSync(`/proc/self/fd/${fd}`);
      return true;
    } catch {
      return false; // the readdir's own fd, closed by now
    }
  }).map((fd) => `${fd} ${fs.readlinkSync(`/proc/self/fd/${fd}`)}`).sort();
}

function zombieChildren() {
  const children = [];
  for (const tid of fs.readdirSync('/proc/self/task')) {
    const list = fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim();
    if (list) children.push(...list.split(' '));
  }
  return children.filter((pid) => h.processState(pid) === 'Z');
}

/** Waits for a condition the container signals through its rootfs. */
async function until(cond) {
  for (let i = 0; i < 400; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not reached');
}
