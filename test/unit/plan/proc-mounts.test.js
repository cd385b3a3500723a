'use strict';
const { expect } = require('chai');
const { procMountProblem, BINDABLE_PROC_FILES } = require('../../../dist/plan/proc-mounts');

describe('plan/proc-mounts: runc\'s checkProcMount', () => {
  it('onto /proc: procfs, or a bind (the helper checks its source is a procfs)', () => {
    expect(procMountProblem({ type: 'proc' }, '/proc', false)).to.equal(undefined);
    expect(procMountProblem({ type: 'bind' }, '/proc', true)).to.equal(undefined);
    expect(procMountProblem({ type: 'tmpfs' }, '/proc', false)).to.equal('"/proc" cannot be mounted because it is not of type proc');
  });

  it('under /proc: only binds over the files lxcfs emulates', () => {
    for (const f of BINDABLE_PROC_FILES) expect(procMountProblem({ type: 'bind' }, f, true), f).to.equal(undefined);
    for (const [dest, bind] of [['/proc/sys', false], ['/proc/sys', true], ['/proc/self', true], ['/proc/kcore', true],
      ['/proc/cpuinfo', false], ['/proc/sys/kernel/core_pattern', true]]) {
      expect(procMountProblem({ type: bind ? 'bind' : 'tmpfs' }, dest, bind), dest)
        .to.equal(`"${dest}" cannot be mounted because it is inside /proc`);
    }
  });

  it('elsewhere: no opinion', () => {
    for (const dest of ['/', '/procfoo', '/mnt/proc/sys']) expect(procMountProblem({ type: 'tmpfs' }, dest, false)).to.equal(undefined);
  });
});
