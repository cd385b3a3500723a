'use strict';
const { expect } = require('chai');
const { checkPreservedFds, preservedFdProblem } = require('../../../dist/runtime/preserved-fds');
const { ConfigError } = require('../../../dist/errors');

describe('runtime/preserved-fds', () => {
  it('accepts what a caller passes: files, pipes, sockets, ttys', () => {
    for (const link of ['/tmp/x', 'pipe:[12]', 'socket:[34]', '/dev/pts/0', '/dev/null']) {
      expect(preservedFdProblem(3, link), link).to.equal(undefined);
    }
  });

  it('refuses numbers that are not open, and node\'s own kernel objects', () => {
    expect(preservedFdProblem(4, undefined)).to.equal('--preserve-fds: fd 4 is not open');
    for (const link of ['anon_inode:[eventpoll]', 'anon_inode:[eventfd]', 'anon_inode:[signalfd]', 'anon_inode:[io_uring]', 'anon_inode:inotify']) {
      expect(preservedFdProblem(5, link), link).to.equal(`--preserve-fds: fd 5 (${link}) was not passed by the caller`);
    }
  });

  it('checks exactly fds 3..3+N-1', () => {
    const seen = [];
    checkPreservedFds(3, (fd) => (seen.push(fd), 'pipe:[1]'));
    expect(seen).to.deep.equal([3, 4, 5]);
    checkPreservedFds(0, () => { throw new Error('not called'); });
    expect(() => checkPreservedFds(2, (fd) => (fd === 4 ? 'anon_inode:[eventpoll]' : 'pipe:[1]'))).to.throw(ConfigError, /fd 4/);
  });
});
