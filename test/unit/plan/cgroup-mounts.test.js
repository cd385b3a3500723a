'use strict';
const { expect } = require('chai');
const { buildLaunchPlan } = require('../../../dist/plan/build');
const { hierarchyDir } = require('../../../dist/plan/cgroup-mounts');
const { fixture } = require('../../fixtures/configs/make-bundle');

const MS = { RDONLY: 0x1, NOSUID: 0x2, NODEV: 0x4, NOEXEC: 0x8, REMOUNT: 0x20, BIND: 0x1000, REC: 0x4000, RELATIME: 0x200000 };
const SAFE = MS.NOSUID | MS.NODEV | MS.NOEXEC;

function cgroupMountPlan(options, cgroup) {
  const config = fixture('minimal');
  config.mounts = [{ destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options }];
  const plan = buildLaunchPlan(config, {
    bundle: '/b', rootfs: '/b/rootfs', statePath: '/s', fifoPath: '/s/exec.fifo', noPivot: false, preserveFds: 0,
    hookState: (s) => s, cgroup,
  });
  const first = plan.ops.findIndex((o) => o.op === 'mount');
  const end = plan.ops.findIndex((o) => o.op === 'mknod');
  return plan.ops.slice(first, end);
}

const mount = (source, destination, fstype, flags, data = '') =>
  ({ op: 'mount', source, destination, fstype, flags, data, propagation: 0, recAttrSet: 0 });

const V1 = [
  { controller: 'memory', hostDir: '/sys/fs/cgroup/memory/ts-oci/c1' },
  { controller: 'cpu,cpuacct', hostDir: '/sys/fs/cgroup/cpu,cpuacct/ts-oci/c1' },
  { controller: 'name=systemd', hostDir: '/sys/fs/cgroup/systemd/ts-oci/c1' },
];

describe('plan/cgroup-mounts: "cgroup" mounts', () => {
  it('expands a read-only mount on cgroup v1 into a tmpfs, one bind per hierarchy, and a read-only remount', () => {
    const ops = cgroupMountPlan(['nosuid', 'noexec', 'nodev', 'relatime', 'ro'], { v1Mounts: V1 });
    const bind = SAFE | MS.RELATIME | MS.RDONLY | MS.BIND | MS.REC;
    expect(ops).to.deep.equal([
      mount('tmpfs', '/sys/fs/cgroup', 'tmpfs', SAFE | MS.RELATIME, 'mode=755'),
      mount('/sys/fs/cgroup/memory/ts-oci/c1', '/sys/fs/cgroup/memory', 'bind', bind),
      mount('/sys/fs/cgroup/cpu,cpuacct/ts-oci/c1', '/sys/fs/cgroup/cpu,cpuacct', 'bind', bind),
      { op: 'symlink', target: 'cpu,cpuacct', path: '/sys/fs/cgroup/cpu' },
      { op: 'symlink', target: 'cpu,cpuacct', path: '/sys/fs/cgroup/cpuacct' },
      mount('/sys/fs/cgroup/systemd/ts-oci/c1', '/sys/fs/cgroup/systemd', 'bind', bind),
      mount('tmpfs', '/sys/fs/cgroup', 'tmpfs', SAFE | MS.RELATIME | MS.REMOUNT | MS.RDONLY),
    ]);
  });

  it('leaves a read-write v1 mount writable and adds nosuid,nodev,noexec', () => {
    const ops = cgroupMountPlan([], { v1Mounts: V1.slice(0, 1) });
    expect(ops).to.deep.equal([
      mount('tmpfs', '/sys/fs/cgroup', 'tmpfs', SAFE, 'mode=755'),
      mount('/sys/fs/cgroup/memory/ts-oci/c1', '/sys/fs/cgroup/memory', 'bind', SAFE | MS.BIND | MS.REC),
    ]);
  });

  it('mounts cgroup2 when there are no v1 hierarchies', () => {
    for (const cgroup of [undefined, {}]) {
      expect(cgroupMountPlan(['nosuid', 'ro'], cgroup)).to.deep.equal([
        mount('cgroup', '/sys/fs/cgroup', 'cgroup2', MS.NOSUID | MS.RDONLY),
      ]);
    }
  });

  it('names hierarchy directories as the host does', () => {
    expect(hierarchyDir('name=systemd')).to.equal('systemd');
    expect(hierarchyDir('cpu,cpuacct')).to.equal('cpu,cpuacct');
    expect(hierarchyDir('pids')).to.equal('pids');
  });
});
