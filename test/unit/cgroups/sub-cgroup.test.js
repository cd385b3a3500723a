'use strict';
const { expect } = require('chai');
const { parseSubCgroups, execCgroupDirs } = require('../../../dist/cgroups/sub-cgroup');

const v1 = (c) => ({ version: 1, controllers: c.split(','), mountPoint: `/sys/fs/cgroup/${c}`, path: `/sys/fs/cgroup/${c}/ct` });
const hybrid = { v1: [v1('cpu,cpuacct'), v1('memory')], v2: { version: 2, controllers: [], mountPoint: '/u', path: '/u/ct' } };

describe('cgroups/sub-cgroup: exec --cgroup (runc 1.2)', () => {
  it('parses [controller[,controller]:]path with runc\'s errors', () => {
    expect([...parseSubCgroups(['a/b'])]).to.deep.equal([['', 'a/b']]);
    expect([...parseSubCgroups(['cpu,memory:x', 'pids:y'])]).to.deep.equal([['cpu', 'x'], ['memory', 'x'], ['pids', 'y']]);
    expect(() => parseSubCgroups([':x'])).to.throw('empty <controller> prefix');
    // A path for every hierarchy is the only --cgroup or none (runc's getSubCgroupPaths).
    expect(() => parseSubCgroups(['a', 'b'])).to.throw('invalid --cgroup argument: a (missing <controller>: prefix)');
    expect(() => parseSubCgroups(['cpu:x', 'all'])).to.throw('invalid --cgroup argument: all (missing <controller>: prefix)');
    expect(() => parseSubCgroups(['cpu:a:b'])).to.throw(/^invalid --cgroup argument: cpu:a:b$/);
    expect(() => parseSubCgroups(['cpu:a', 'cpu:b'])).to.throw('controller cpu specified multiple times');
    expect(() => parseSubCgroups(['a/../../x'])).to.throw('".." is not allowed');
  });

  it('maps the sub-paths onto the container\'s directories', () => {
    expect(execCgroupDirs(hybrid, new Map())).to.equal(hybrid);
    const all = execCgroupDirs(hybrid, parseSubCgroups(['/s']));
    expect(all.v1.map((d) => d.path)).to.deep.equal(['/sys/fs/cgroup/cpu,cpuacct/ct/s', '/sys/fs/cgroup/memory/ct/s']);
    expect(all.v2.path).to.equal('/u/ct/s');
    const one = execCgroupDirs(hybrid, parseSubCgroups(['memory:m']));
    expect(one.v1.map((d) => d.path)).to.deep.equal(['/sys/fs/cgroup/cpu,cpuacct/ct', '/sys/fs/cgroup/memory/ct/m']);
    expect(one.v2.path).to.equal('/u/ct');
    expect(() => execCgroupDirs(hybrid, parseSubCgroups(['rdma:x']))).to.throw('unknown controller rdma');
    expect(() => execCgroupDirs({ v1: [], v2: hybrid.v2 }, parseSubCgroups(['cpu:x']))).to.throw('only a <cgroup> path');
  });
});
