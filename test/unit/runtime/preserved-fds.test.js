'use strict';
const { expect } = require('chai');
const { checkPreservedFds, preservedFdProblem, callerFdsFromEnv } = require('../../../dist/runtime/preserved-fds');

describe('runtime/preserved-fds: an allow-list of what the caller passed', () => {
  it('allows exactly the fds the caller passed, whatever they are', () => {
    for (const link of ['pipe:[123]', '/dev/null', 'socket:[9]', 'anon_inode:[eventfd]']) {
      expect(preservedFdProblem(3, link, [3, 4]), link).to.equal(undefined);
    }
  });

  it('refuses an open fd the caller did not pass, even one that looks like a caller\'s (a pipe)', () => {
    // The old deny-list let anything but node's anon inodes through.
    expect(preservedFdProblem(4, 'pipe:[123]', [3])).to.equal('--preserve-fds: fd 4 (pipe:[123]) was not passed by the caller');
    expect(preservedFdProblem(4, 'anon_inode:[eventpoll]', [3])).to.equal(
      '--preserve-fds: fd 4 (anon_inode:[eventpoll]) was not passed by the caller');
  });

  it('refuses a slot that is not open, and everything when nobody said what was passed', () => {
    expect(preservedFdProblem(4, undefined, [3, 4])).to.equal('--preserve-fds: fd 4 is not open');
    expect(preservedFdProblem(3, '/dev/null', undefined)).to.match(/^--preserve-fds: fd 3: which descriptors the caller passed is unknown/);
    expect(() => checkPreservedFds(0, undefined)).to.not.throw();
  });

  it('checks every slot 3..3+N-1 and names the field', () => {
    const links = { 3: '/dev/null', 4: 'pipe:[1]', 5: 'pipe:[2]' };
    expect(() => checkPreservedFds(3, [3, 4, 5], (fd) => links[fd])).to.not.throw();
    expect(() => checkPreservedFds(3, [3, 5], (fd) => links[fd])).to.throw(/fd 4 \(pipe:\[1\]\) was not passed/)
      .with.property('field', 'preserve-fds');
  });

  it('reads what bin/ts-oci recorded', () => {
    expect(callerFdsFromEnv({ TS_OCI_CALLER_FDS: '3 4 200' })).to.deep.equal([3, 4, 200]);
    expect(callerFdsFromEnv({ TS_OCI_CALLER_FDS: '' })).to.deep.equal([]);
    expect(callerFdsFromEnv({})).to.equal(undefined);
  });
});
