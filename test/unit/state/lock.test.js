'use strict';
const { expect } = require('chai');
const { withLock } = require('../../../dist/state/lock');

function fakeLocker() {
  const log = [];
  return {
    log,
    lockFile(p) { log.push(['lock', p]); return 7; },
    close(fd) { log.push(['close', fd]); },
  };
}

describe('state/lock', () => {
  it('locks <dir>/.lock around a sync function', () => {
    const l = fakeLocker();
    const r = withLock('/run/x/c1', () => { l.log.push(['fn']); return 5; }, l);
    expect(r).to.equal(5);
    expect(l.log).to.deep.equal([['lock', '/run/x/c1/.lock'], ['fn'], ['close', 7]]);
  });

  it('releases when the function throws', () => {
    const l = fakeLocker();
    expect(() => withLock('/d', () => { throw new Error('boom'); }, l)).to.throw('boom');
    expect(l.log.at(-1)).to.deep.equal(['close', 7]);
  });

  it('holds the lock until an async function settles', async () => {
    const l = fakeLocker();
    let release;
    const p = withLock('/d', () => new Promise((resolve) => { release = resolve; }), l);
    await new Promise((r) => setImmediate(r));
    expect(l.log).to.deep.equal([['lock', '/d/.lock']]);
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
});
