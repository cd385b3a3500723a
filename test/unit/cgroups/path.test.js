'use strict';
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { detectLayout } = require('../../../dist/cgroups/mountinfo');
const { parseProcCgroup } = require('../../../dist/cgroups/proc-cgroup');
const { resolveCgroupDirs, normalizeCgroupsPath, v1DirFor, allDirs } = require('../../../dist/cgroups/path');
const { ConfigError } = require('../../../dist/errors');

const fixture = (name) => fs.readFileSync(path.join(__dirname, '../../fixtures/cgroups', name), 'utf8');
const load = (name) => [detectLayout(fixture(`${name}.mountinfo`)), parseProcCgroup(fixture(`${name}.cgroup`))];

describe('cgroups/path', () => {
  it('puts an absolute path under every hierarchy root (hybrid)', () => {
    const dirs = resolveCgroupDirs(...load('hybrid'), '/ts-oci/c1', 'c1');
    expect(v1DirFor(dirs, 'memory').path).to.equal('/sys/fs/cgroup/memory/ts-oci/c1');
    expect(v1DirFor(dirs, 'name=systemd').path).to.equal('/sys/fs/cgroup/systemd/ts-oci/c1');
    expect(dirs.v2.path).to.equal('/sys/fs/cgroup/unified/ts-oci/c1');
    expect(dirs.v1).to.have.length(9);
    expect(allDirs(dirs)).to.have.length(10);
  });

  it('puts a relative path under our own cgroup of each hierarchy', () => {
    const dirs = resolveCgroupDirs(...load('hybrid'), 'ts-oci/c1', 'c1');
    expect(v1DirFor(dirs, 'memory').path).to.equal('/sys/fs/cgroup/memory/process_api/90fddaf4611c482d032e97a55e94d4d0/ts-oci/c1');
    expect(v1DirFor(dirs, 'pids').path).to.equal('/sys/fs/cgroup/pids/ts-oci/c1');
  });

  it('defaults to the id, relative (runc: Name=id)', () => {
    const dirs = resolveCgroupDirs(...load('v1'), undefined, 'c1');
    expect(v1DirFor(dirs, 'memory').path).to.equal('/sys/fs/cgroup/memory/user.slice/user-1000.slice/session-2.scope/c1');
    expect(v1DirFor(dirs, 'cpuacct').path).to.equal('/sys/fs/cgroup/cpu,cpuacct/user.slice/c1');
    expect(v1DirFor(dirs, 'cpu')).to.equal(v1DirFor(dirs, 'cpuacct'));
    expect(dirs.v2).to.equal(undefined);
    expect(resolveCgroupDirs(...load('v1'), '', 'c2').v1[0].path).to.match(/\/c2$/);
  });

  it('resolves pure v2', () => {
    const dirs = resolveCgroupDirs(...load('v2'), undefined, 'c1');
    expect(dirs.v1).to.deep.equal([]);
    expect(dirs.v2.path).to.equal('/sys/fs/cgroup/user.slice/user-1000.slice/session-3.scope/c1');
    expect(resolveCgroupDirs(...load('v2'), '/machine/c1', 'c1').v2.path).to.equal('/sys/fs/cgroup/machine/c1');
  });

  it('subtracts the mount root when the hierarchy is mounted from a sub-cgroup', () => {
    const dirs = resolveCgroupDirs(...load('v1-container'), 'x', 'c1');
    expect(v1DirFor(dirs, 'memory').path).to.equal('/sys/fs/cgroup/memory/x');
    expect(v1DirFor(dirs, 'cpu').path).to.equal('/sys/fs/cgroup/cpu,cpuacct/sub/x');
    expect(v1DirFor(dirs, 'pids').path).to.equal('/sys/fs/cgroup/with space/x');
  });

  it('refuses the systemd driver\'s slice:prefix:name form (a path here), and takes a colon elsewhere', () => {
    for (const p of ['system.slice:docker:abc', ':ts-oci:c1', 'machine.slice::c1']) {
      expect(() => resolveCgroupDirs(...load('hybrid'), p, 'c1'), p).to.throw(ConfigError,
        `cgroupsPath ${JSON.stringify(p)} is in the systemd driver's "slice:prefix:name" form, which the cgroupfs driver does not take (it takes a path)`);
    }
    expect(v1DirFor(resolveCgroupDirs(...load('hybrid'), '/a:b/c', 'c1'), 'pids').path).to.equal('/sys/fs/cgroup/pids/a:b/c');
  });

  it('refuses a process cgroup outside the mount root', () => {
    const [layout, self] = load('v1-container');
    self.set('memory', '/elsewhere');
    expect(() => resolveCgroupDirs(layout, self, 'x', 'c1')).to.throw(/outside the mount/);
  });

  it('skips hierarchies we are not in, except devices', () => {
    const [layout, self] = load('v1');
    self.delete('rdma');
    expect(v1DirFor(resolveCgroupDirs(layout, self, 'x', 'c1'), 'rdma')).to.equal(undefined);
    self.delete('devices');
    expect(() => resolveCgroupDirs(layout, self, 'x', 'c1')).to.throw(/devices/);
    expect(v1DirFor(resolveCgroupDirs(layout, self, '/x', 'c1'), 'devices').path).to.equal('/sys/fs/cgroup/devices/x');
  });

  it('normalises and refuses .. escapes and the root cgroup', () => {
    expect(normalizeCgroupsPath('//a/./b/')).to.equal('/a/b');
    expect(normalizeCgroupsPath('a//b')).to.equal('a/b');
    for (const p of ['../x', '/a/../../x', 'a/..', '..']) {
      expect(() => normalizeCgroupsPath(p), p).to.throw(ConfigError, /\.\./);
    }
    expect(() => resolveCgroupDirs(...load('v2'), '/', 'c1')).to.throw(ConfigError, /root cgroup/);
  });
});
