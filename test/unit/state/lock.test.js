'use strict';
const { expect } = require('chai');
const { withLock, lockQueueCount } = require('../../../dist/state/lock');

// busy: how many tryLockFile calls report "held by another process" first.
function fakeLocker({ busy = false } = {}) {
  const log = [];
  let next = 7;
  return {
    log,
    tryLockFile(p) { log.push(['try', p]); return busy ? -1 : next++; },
    lockFileWait(p) { log.push(['wait', p]); return Promise.resolve(next++); },
    close(fd) { log.push(['close', fd]); },
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('state/lock', () => {
  afterEach(() => expect(lockQueueCount(), 'no queue left behind').to.equal(0));

  it('locks <dir>/.lock around a sync function, without waiting when the lock is free', async () => {
    const l = fakeLocker();
    const r = await withLock('/run/x/c1', () => { l.log.push(['fn']); return 5; }, l);
    expect(r).to.equal(5);
    expect(l.log).to.deep.equal([['try', '/run/x/c1/.lock'], ['fn'], ['close', 7]]);
  });

  it('waits off the main thread when another process holds the lock', async () => {
    const l = fakeLocker({ busy: true });
    await withLock('/d', () => { l.log.push(['fn']); }, l);
    expect(l.log).to.deep.equal([['try', '/d/.lock'], ['wait', '/d/.lock'], ['fn'], ['close', 7]]);
  });

  it('releases when the function throws', async () => {
    const l = fakeLocker();
    let caught;
    try { await withLock('/d', () => { throw new Error('boom'); }, l); } catch (e) { caught = e; }
    expect(caught.message).to.equal('boom');
    expect(l.log.at(-1)).to.deep.equal(['close', 7]);
  });

  it('holds the lock until an async function settles', async () => {
    const l = fakeLocker();
    let release;
    const p = withLock('/d', () => new Promise((resolve) => { release = resolve; }), l);
    await tick();
    expect(l.log).to.deep.equal([['try', '/d/.lock']]);
    release('ok');
    expect(await p).to.equal('ok');
    expect(l.log.at(-1)).to.deep.equal(['close', 7]);
  });

  it('releases when an async function rejects', async () => {
    const l = fakeLocker();
    let caught;
    try { await withLock('/d', async () => { throw new Error('late'); }, l); } catch (e) { caught = e; }
    expect(caught.message).to.equal('late');
    expect(l.log.at(-1)).to.deep.equal(['close', 7]);
  });

  it('queues holders of one container in order in-process: the second never touches the OFD lock while the first holds it', async () => {
    const l = fakeLocker();
    let releaseFirst;
    const first = withLock('/d', () => new Promise((resolve) => { releaseFirst = resolve; }), l);
    const second = withLock('/d/', () => { l.log.push(['second']); }, l);
    const third = withLock('/d', () => { l.log.push(['third']); }, l);
    for (let i = 0; i < 5; i++) await tick();
    expect(l.log).to.deep.equal([['try', '/d/.lock']]);
    releaseFirst();
    await Promise.all([first, second, third]);
    expect(l.log).to.deep.equal([
      ['try', '/d/.lock'], ['close', 7],
      ['try', '/d/.lock'], ['second'], ['close', 8],
      ['try', '/d/.lock'], ['third'], ['close', 9],
    ]);
  });

  it('a failing holder does not stall the queue', async () => {
    const l = fakeLocker();
    const first = withLock('/d', async () => { throw new Error('x'); }, l).catch((e) => e.message);
    const second = withLock('/d', () => 'second ran', l);
    expect(await first).to.equal('x');
    expect(await second).to.equal('second ran');
  });

  it('does not serialise different containers', async () => {
    const l = fakeLocker();
    let releaseA;
    const a = withLock('/a', () => new Promise((resolve) => { releaseA = resolve; }), l);
    const b = await withLock('/b', () => 'b done', l);
    expect(b).to.equal('b done');
    releaseA();
    await a;
  });
});

describe('state/lock whenQueued', () => {
  it('runs after earlier holders, before the OFD lock; a throw skips the lock and fn', async () => {
    const l = fakeLocker();
    let gone = false;
    const first = withLock('/q', () => { gone = true; }, l);
    const second = withLock('/q', () => l.log.push(['fn']), l, () => { if (gone) throw new Error('removed'); });
    await first;
    let caught;
    try { await second; } catch (e) { caught = e; }
    expect(caught.message).to.equal('removed');
    expect(l.log).to.deep.equal([['try', '/q/.lock'], ['close', 7]]);
    expect(lockQueueCount()).to.equal(0);
  });
});

describe('state/lock threadpool budget', () => {
  it('at most two blocked waits at once across containers; the others retry without blocking until the lock frees', async () => {
    let held = true;
    const waits = [];
    let tries = 0;
    let next = 20;
    const locker = {
      tryLockFile() { tries++; return held ? -1 : next++; },
      lockFileWait() { return new Promise((resolve) => waits.push(() => resolve(next++))); },
      close() {},
    };
    const all = ['/w1', '/w2', '/w3', '/w4', '/w5'].map((d) => withLock(d, () => d, locker));
    for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 2));
    expect(waits).to.have.length(2);
    expect(tries, 'the three others kept retrying').to.be.above(5);
    held = false;
    for (const w of waits) w();
    expect(await Promise.all(all)).to.deep.equal(['/w1', '/w2', '/w3', '/w4', '/w5']);
  });
});
