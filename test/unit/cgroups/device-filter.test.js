'use strict';
// The cgroup2 device program generator, run in a small eBPF interpreter
// (the live kernel checks are in test/integration/device-filter.test.js).
const { expect } = require('chai');
const { deviceFilterProgram, deviceFilterInsns } = require('../../../dist/cgroups/device-filter');
const { installDeviceFilter } = require('../../../dist/cgroups/device-program');
const { DEFAULT_ALLOWED_DEVICES } = require('../../../dist/cgroups/allowed-devices');
const { runDeviceProgram } = require('../../helpers/ebpf-eval');
const { catchError } = require('../../helpers/catch-error');

const DENY_ALL = { allow: false, access: 'rwm' };
const verdict = (rules, type, major, minor, access) => runDeviceProgram(deviceFilterProgram(rules), { type, major, minor, access });

describe('cgroups/device-filter', () => {
  it('with no rules allows everything, as a fresh v1 devices cgroup', () => {
    expect(verdict([], 'c', 1, 5, 'rw')).to.equal(1);
    expect(verdict([], 'b', 8, 0, 'm')).to.equal(1);
  });

  it('deny-all then the default list: the defaults pass, everything else is denied', () => {
    const rules = [DENY_ALL, ...DEFAULT_ALLOWED_DEVICES];
    expect(verdict(rules, 'c', 1, 3, 'rw')).to.equal(1); // null
    expect(verdict(rules, 'c', 1, 9, 'r')).to.equal(1); // urandom
    expect(verdict(rules, 'c', 136, 7, 'rw')).to.equal(1); // /dev/pts/7: minor wildcard
    expect(verdict(rules, 'c', 10, 200, 'm')).to.equal(1); // mknod of any char device
    expect(verdict(rules, 'b', 8, 0, 'm')).to.equal(1);
    expect(verdict(rules, 'c', 10, 200, 'rw')).to.equal(0); // /dev/net/tun
    expect(verdict(rules, 'b', 8, 0, 'r')).to.equal(0); // sda
    expect(verdict(rules, 'c', 1, 1, 'r')).to.equal(0); // /dev/mem
  });

  it('later rules win: deny after allow, allow after deny', () => {
    const rules = [DENY_ALL, { allow: true, type: 'c', major: 1, access: 'rwm' }, { allow: false, type: 'c', major: 1, minor: 5, access: 'rwm' }];
    expect(verdict(rules, 'c', 1, 3, 'r')).to.equal(1);
    expect(verdict(rules, 'c', 1, 5, 'r')).to.equal(0);
    expect(verdict([...rules, { allow: true, type: 'c', major: 1, minor: 5, access: 'r' }], 'c', 1, 5, 'r')).to.equal(1);
  });

  it('matches access like the v1 controller: an allow must cover the request, a deny of one access denies it', () => {
    const rules = [DENY_ALL, { allow: true, type: 'c', major: 1, minor: 3, access: 'r' }];
    expect(verdict(rules, 'c', 1, 3, 'r')).to.equal(1);
    expect(verdict(rules, 'c', 1, 3, 'rw')).to.equal(0);
    expect(verdict(rules, 'c', 1, 3, 'w')).to.equal(0);
    const denyWrite = [{ allow: false, type: 'c', major: 1, minor: 3, access: 'w' }];
    expect(verdict(denyWrite, 'c', 1, 3, 'r')).to.equal(1);
    expect(verdict(denyWrite, 'c', 1, 3, 'rw')).to.equal(0);
  });

  it('tells block from char devices and treats type a as both', () => {
    const rules = [DENY_ALL, { allow: true, type: 'b', major: 7, access: 'rw' }, { allow: true, type: 'a', major: 9, minor: 0, access: 'r' }];
    expect(verdict(rules, 'b', 7, 1, 'r')).to.equal(1);
    expect(verdict(rules, 'c', 7, 1, 'r')).to.equal(0);
    expect(verdict(rules, 'c', 9, 0, 'r')).to.equal(1);
    expect(verdict(rules, 'b', 9, 0, 'r')).to.equal(1);
  });

  it('stops at an unconditional rule: what comes before it can never decide (no unreachable code)', () => {
    const before = deviceFilterInsns([{ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }]).length;
    const insns = deviceFilterInsns([{ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }, DENY_ALL]);
    expect(insns.length).to.be.lessThan(before);
    expect(verdict([{ allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' }, DENY_ALL], 'c', 1, 3, 'r')).to.equal(0);
    expect(verdict([DENY_ALL, { allow: true, access: 'rwm' }], 'b', 8, 0, 'rw')).to.equal(1);
  });

  it('refuses rules it cannot express, naming the rule', () => {
    expect(catchError(() => deviceFilterProgram([{ allow: true, type: 'x', access: 'r' }])).message).to.match(/linux\.resources\.devices\[0\]\.type/);
    expect(catchError(() => deviceFilterProgram([DENY_ALL, { allow: true, type: 'c', access: 'rx' }])).message).to.match(/devices\[1\]\.access/);
    expect(catchError(() => deviceFilterProgram([{ allow: true, type: 'c', major: 2 ** 32, access: 'r' }])).message).to.match(/devices\[0\]\.major/);
  });

  describe('installDeviceFilter', () => {
    function fakeOps(attached) {
      const log = [];
      let next = 100;
      return {
        log,
        ops: {
          load: () => { log.push('load'); return next++; },
          attach: (dir, fd, replaceFd) => log.push(`attach ${fd} replace ${replaceFd}`),
          query: () => attached,
          fdById: (id) => { log.push(`fd of ${id}`); return id + 1000; },
          detach: (dir, fd) => log.push(`detach ${fd}`),
          close: (fd) => log.push(`close ${fd}`),
        },
      };
    }

    it('attaches the first program', () => {
      const { log, ops } = fakeOps([]);
      installDeviceFilter('/cg', [DENY_ALL], ops);
      expect(log).to.deep.equal(['load', 'attach 100 replace -1', 'close 100']);
    });

    it('replaces one attached program atomically (BPF_F_REPLACE)', () => {
      const { log, ops } = fakeOps([7]);
      installDeviceFilter('/cg', [DENY_ALL], ops);
      expect(log).to.deep.equal(['load', 'fd of 7', 'attach 100 replace 1007', 'close 1007', 'close 100']);
    });

    it('attaches before it detaches when several are attached, or the kernel has no BPF_F_REPLACE', () => {
      const { log, ops } = fakeOps([7, 8]);
      installDeviceFilter('/cg', [DENY_ALL], ops);
      expect(log).to.deep.equal(['load', 'attach 100 replace -1', 'fd of 7', 'detach 1007', 'close 1007', 'fd of 8', 'detach 1008', 'close 1008', 'close 100']);
      const old = fakeOps([7]);
      old.ops.attach = (dir, fd, replaceFd) => {
        if (replaceFd >= 0) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' });
        old.log.push(`attach ${fd} replace ${replaceFd}`);
      };
      installDeviceFilter('/cg', [DENY_ALL], old.ops);
      expect(old.log).to.deep.equal(['load', 'fd of 7', 'close 1007', 'attach 100 replace -1', 'fd of 7', 'detach 1007', 'close 1007', 'close 100']);
    });
  });
});
