'use strict';
// The library never blocks the event loop: operations on one container in
// one process queue instead of deadlocking, a lock held by another process
// is waited for off the main thread, and timers keep firing while hooks and
// many creates are in flight. No timing assertions: only "did the loop turn".
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

const { Container, NotFoundError } = require(h.repo);
const { stateDir } = require(path.join(h.repo, 'dist/state/store'));

/** Counts the ticks of a 5 ms interval while fn runs. */
async function ticksDuring(fn) {
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 5);
  try {
    const result = await fn();
    return { ticks, result };
  } finally {
    clearInterval(timer);
  }
}

/** Another process that holds the container's OFD lock until released. */
async function holdLockElsewhere(lockPath) {
  const script = `
    const { native } = require(${JSON.stringify(path.join(h.repo, 'dist/native'))});
    const fd = native().tryLockFile(${JSON.stringify(lockPath)});
    process.stdout.write(fd >= 0 ? 'locked\\n' : 'busy\\n');
    process.stdin.on('end', () => native().close(fd)).resume();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(d.toString().trim())));
  expect(line).to.equal('locked');
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return async () => {
    child.stdin.end();
    await exited;
  };
}

describe('the event loop keeps turning (library)', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  const sleeper = (edit) => h.makeBundle((c) => {
    c.process.args = ['sleep', '1000'];
    if (edit) edit(c);
  });

  /** A kill that ran before the delete succeeds; one queued after it finds no container. */
  const expectKillDoneOrGone = (kill) => {
    if (kill.status === 'fulfilled') return;
    expect(kill.reason).to.be.instanceOf(NotFoundError);
    expect(kill.reason.message).to.equal('container does not exist');
  };

  it('kill, state, wait and delete on one running container, all at once, finish without deadlock', async () => {
    const c = await Container.create({ id: h.uniqueId('loop'), bundle: sleeper(), root });
    await c.start();
    const [kill, state, wait, del] = await Promise.allSettled([c.kill('SIGKILL'), c.state(), c.wait(), c.delete({ force: true })]);
    expectKillDoneOrGone(kill);
    expect(state.status).to.equal('fulfilled');
    expect(state.value.status).to.equal('running');
    expect(wait.value).to.equal(128 + 9);
    expect(del.status, String(del.reason)).to.equal('fulfilled');
    expect((await Container.list({ root })).map((s) => s.id)).to.not.include(c.id);
  });

  it('the same with the delete issued first: the kill queued behind it fails cleanly', async () => {
    const c = await Container.create({ id: h.uniqueId('loop'), bundle: sleeper(), root });
    await c.start();
    const [del, kill, wait, state] = await Promise.allSettled([c.delete({ force: true }), c.kill('SIGTERM'), c.wait(), c.state()]);
    expect(del.status, String(del.reason)).to.equal('fulfilled');
    expectKillDoneOrGone(kill);
    expect(wait.value).to.be.oneOf([128 + 9, 128 + 15]);
    expect(state.status).to.equal('fulfilled');
    expect(fs.existsSync(stateDir(root, c.id))).to.equal(false);
  });

  it('waits for a lock another process holds off the main thread, then runs the queued kill and delete', async () => {
    const c = await Container.create({ id: h.uniqueId('loop'), bundle: sleeper(), root });
    await c.start();
    const release = await holdLockElsewhere(path.join(stateDir(root, c.id), '.lock'));
    let settled = 0;
    const ops = [c.kill('SIGKILL'), c.delete({ force: true })].map((p) => p.finally(() => { settled++; }));
    const outcomes = Promise.allSettled(ops);
    const { ticks } = await ticksDuring(() => new Promise((resolve) => setTimeout(resolve, 200)));
    // Both are still waiting for the other process, and the loop turned meanwhile.
    expect(settled).to.equal(0);
    expect(ticks).to.be.at.least(5);
    expect((await c.state()).status).to.equal('running');
    await release();
    const [kill, del] = await outcomes;
    expectKillDoneOrGone(kill);
    expect(del.status, String(del.reason)).to.equal('fulfilled');
    expect(await c.wait()).to.equal(128 + 9);
    expect(fs.existsSync(stateDir(root, c.id))).to.equal(false);
  });

  it('timers keep firing while a slow prestart hook runs', async () => {
    const bundle = sleeper((c) => { c.hooks = { prestart: [{ path: '/bin/sleep', args: ['sleep', '1'] }] }; });
    const { ticks, result: c } = await ticksDuring(() => Container.create({ id: h.uniqueId('loop'), bundle, root }));
    // spawnSync would have stopped the loop for the whole second.
    expect(ticks).to.be.at.least(20);
    await c.delete({ force: true });
  });

  it('timers keep firing while 20 containers are created at once; all are deleted after', async () => {
    const bundles = Array.from({ length: 20 }, () => sleeper());
    const { ticks, result: containers } = await ticksDuring(() =>
      Promise.all(bundles.map((bundle) => Container.create({ id: h.uniqueId('loop'), bundle, root }))));
    expect(ticks).to.be.at.least(3);
    expect(containers).to.have.length(20);
    await Promise.all(containers.map((c) => c.delete({ force: true })));
    const left = (await Container.list({ root })).map((s) => s.id);
    for (const c of containers) expect(left).to.not.include(c.id);
  });
});
