'use strict';
// profile -> the libseccomp calls (one entry per seccomp_rule_add) and the
// load flags: pure TS, no libseccomp needed.
const { expect } = require('chai');
const { describeSeccomp, conditionSets, loadFlags } = require('../../../dist/seccomp/describe');
const { fixture } = require('../../fixtures/configs/make-bundle');

const ERRNO = (e) => (0x00050000 | e) >>> 0;
const ALLOW = 0x7fff0000;

describe('seccomp/describe', () => {
  it('maps every action to its libseccomp value, errnoRet in the low 16 bits (EPERM by default)', () => {
    const actions = {
      SCMP_ACT_KILL: 0, SCMP_ACT_KILL_THREAD: 0, SCMP_ACT_KILL_PROCESS: 0x80000000, SCMP_ACT_TRAP: 0x00030000,
      SCMP_ACT_ERRNO: ERRNO(1), SCMP_ACT_TRACE: 0x7ff00001, SCMP_ACT_LOG: 0x7ffc0000, SCMP_ACT_NOTIFY: 0x7fc00000,
    };
    const d = describeSeccomp({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: Object.keys(actions).map((action) => ({ names: ['kill'], action })),
    });
    expect(d.program.defaultAction).to.equal(ALLOW);
    expect(d.program.rules.map((r) => r.action)).to.deep.equal(Object.values(actions));
    expect(describeSeccomp({ defaultAction: 'SCMP_ACT_ERRNO', defaultErrnoRet: 38 }).program.defaultAction).to.equal(ERRNO(38));
    const custom = describeSeccomp({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_ERRNO', errnoRet: 28 }] });
    expect(custom.program.rules[0].action).to.equal(ERRNO(28));
  });

  it('expands names into one rule each and names the field each came from', () => {
    const d = describeSeccomp({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }, { names: ['kill'], action: 'SCMP_ACT_ERRNO' }],
    });
    expect(d.program.rules.map((r) => r.name)).to.deep.equal(['mkdir', 'mkdirat', 'kill']);
    expect(d.ruleFields).to.deep.equal(['/linux/seccomp/syscalls/0/names/0', '/linux/seccomp/syscalls/0/names/1', '/linux/seccomp/syscalls/1/names/0']);
  });

  it('skips rules whose action is the default one, as runc does (libseccomp refuses them)', () => {
    const d = describeSeccomp({
      defaultAction: 'SCMP_ACT_ERRNO',
      syscalls: [{ names: ['a'], action: 'SCMP_ACT_ERRNO' }, { names: ['b'], action: 'SCMP_ACT_ERRNO', errnoRet: 2 }],
    });
    expect(d.program.rules.map((r) => r.name)).to.deep.equal(['b']);
  });

  it("conditions: AND'ed in one rule; a repeated index makes each its own rule (OR), as runc", () => {
    const eq = (index, value) => ({ index, value, op: 'SCMP_CMP_EQ' });
    expect(conditionSets([eq(0, 1), eq(1, 2)])).to.have.length(1);
    expect(conditionSets([eq(0, 1), eq(0, 2)])).to.deep.equal([
      [{ index: 0, op: 4, value: 1n, valueTwo: 0n }],
      [{ index: 0, op: 4, value: 2n, valueTwo: 0n }],
    ]);
    expect(conditionSets([])).to.deep.equal([[]]);
    const masked = conditionSets([{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }]);
    expect(masked).to.deep.equal([[{ index: 0, op: 7, value: 0x7e020000n, valueTwo: 0n }]]);
    const ops = ['NE', 'LT', 'LE', 'EQ', 'GE', 'GT', 'MASKED_EQ'].map((o) => conditionSets([{ index: 0, value: 0, op: `SCMP_CMP_${o}` }])[0][0].op);
    expect(ops).to.deep.equal([1, 2, 3, 4, 5, 6, 7]);
  });

  it('architectures become libseccomp names', () => {
    const d = describeSeccomp(fixture('../seccomp/docker-default-shaped'));
    expect(d.program.architectures).to.deep.equal(['x86_64', 'x86', 'x32']);
  });

  it('flags: as asked; a listener adds NEW_LISTENER (and TSYNC_ESRCH beside TSYNC)', () => {
    const all = ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'];
    // WAIT_KILLABLE_RECV means nothing without a listener (the kernel refuses it; libseccomp drops it).
    expect(loadFlags({ defaultAction: 'SCMP_ACT_ALLOW', flags: all })).to.equal(1 | 2 | 4);
    const notify = { defaultAction: 'SCMP_ACT_ALLOW', listenerPath: '/a', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }] };
    expect(loadFlags({ ...notify, flags: all })).to.equal(1 | 2 | 4 | 8 | 16 | 32);
    expect(loadFlags(notify)).to.equal(8);
    expect(describeSeccomp(notify).notify).to.equal(true);
    expect(loadFlags({ defaultAction: 'SCMP_ACT_ALLOW' })).to.equal(0);
  });
});
