'use strict';
const { expect } = require('chai');
const { parseProcStat, liveStatus, processAlive, readProcStat, procStartTime } = require('../../../dist/state/status');

// Fields 3..22 after comm, then a few more; start time (22) = 98765.
const tail = 'S 1 42 42 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 98765 1000 200 18446744073709551615';

describe('state/status', () => {
  describe('parseProcStat', () => {
    it('parses a plain line', () => {
      expect(parseProcStat(`42 (sleep) ${tail}\n`)).to.deep.equal({ pid: 42, comm: 'sleep', state: 'S', ppid: 1, startTime: 98765 });
    });

    it('takes comm up to the last paren, spaces and parens included', () => {
      const s = parseProcStat(`7 (a) b (c) Z ) ${tail}`);
      expect(s.comm).to.equal('a) b (c) Z ');
      expect(s.state).to.equal('S');
      expect(s.startTime).to.equal(98765);
    });

    it('rejects truncated content', () => {
      expect(() => parseProcStat('42 (x) S 1 2')).to.throw(/malformed/);
      expect(() => parseProcStat('garbage')).to.throw(/malformed/);
    });

    it('reads our own process', () => {
      const s = readProcStat(process.pid);
      expect(s.pid).to.equal(process.pid);
      expect(s.startTime).to.be.a('number').and.greaterThan(0);
      expect(procStartTime(process.pid)).to.equal(s.startTime);
      expect(readProcStat(2 ** 22 + 1)).to.equal(undefined);
      expect(() => procStartTime(2 ** 22 + 1)).to.throw(/ESRCH/);
    });
  });

  describe('liveStatus', () => {
    const base = { id: 'c1', pid: 42, status: 'created', startTime: 98765 };
    const probe = (over = {}) => ({
      procStat: (pid) => (pid === 42 ? { pid, comm: 'x', state: 'S', ppid: 1, startTime: 98765 } : undefined),
      exists: (p) => p === '/s/c1/exec.fifo',
      frozen: () => false,
      ...over,
    });

    it('is created while the exec fifo exists, running after', () => {
      expect(liveStatus(base, '/s/c1/exec.fifo', probe())).to.equal('created');
      expect(liveStatus({ ...base, status: 'running' }, '/s/c1/exec.fifo', probe({ exists: () => false }))).to.equal('running');
    });

    it('is stopped when the process is gone, a zombie, or another process', () => {
      expect(liveStatus(base, '/f', probe({ procStat: () => undefined }))).to.equal('stopped');
      expect(liveStatus(base, '/f', probe({ procStat: (pid) => ({ pid, state: 'Z', startTime: 98765 }) }))).to.equal('stopped');
      expect(liveStatus(base, '/f', probe({ procStat: (pid) => ({ pid, state: 'S', startTime: 11 }) }))).to.equal('stopped');
      expect(processAlive({ ...base, pid: 0 }, probe())).to.equal(false);
    });

    it('keeps stopped and creating as recorded', () => {
      expect(liveStatus({ ...base, status: 'stopped' }, '/s/c1/exec.fifo', probe())).to.equal('stopped');
      expect(liveStatus({ ...base, pid: 0, status: 'creating' }, '/f', probe())).to.equal('creating');
      expect(liveStatus({ ...base, status: 'creating' }, '/f', probe())).to.equal('creating');
      expect(liveStatus({ ...base, pid: 0, status: 'created' }, '/f', probe())).to.equal('stopped');
    });

    it('is paused when the cgroup is frozen', () => {
      expect(liveStatus({ ...base, status: 'running' }, '/f', probe({ frozen: () => true }))).to.equal('paused');
    });
  });
});
