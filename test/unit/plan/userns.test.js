'use strict';
// User namespaces in the launch plan: who creates which namespace, the join
// order with a user namespace joined by path, and what changes inside one.
const { expect } = require('chai');
const { buildLaunchPlan } = require('../../../dist/plan/build');
const { encodePlan } = require('../../../dist/plan/encode');
const { fixture } = require('../../fixtures/configs/make-bundle');

const CLONE = { NEWNS: 0x20000, NEWCGROUP: 0x2000000, NEWUTS: 0x4000000, NEWIPC: 0x8000000, NEWUSER: 0x10000000,
  NEWPID: 0x20000000, NEWNET: 0x40000000 };
const MS = { RDONLY: 0x1, NOSUID: 0x2, NODEV: 0x4, NOEXEC: 0x8, BIND: 0x1000, REC: 0x4000 };

function context(overrides = {}) {
  return {
    bundle: '/b', rootfs: '/b/rootfs', statePath: '/run/ts-oci/c1', fifoPath: '/run/ts-oci/c1/exec.fifo',
    noPivot: false, preserveFds: 0, hookState: (status) => `{"status":"${status}"}`, cgroup: undefined, fifoFd: 4,
    ...overrides,
  };
}

function withUserns(namespaces) {
  const config = fixture('minimal');
  config.linux.namespaces = namespaces;
  config.linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  config.linux.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  config.mounts = [
    { destination: '/proc', type: 'proc', source: 'proc' },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  ];
  return config;
}

const ops = (plan, name) => plan.ops.filter((o) => o.op === name);

describe('plan/userns: user namespaces in the launch plan', () => {
  it('a new user namespace is cloned with the others, so it owns them', () => {
    const plan = buildLaunchPlan(withUserns([{ type: 'mount' }, { type: 'user' }, { type: 'network' }, { type: 'pid' }]), context());
    expect(plan.cloneFlags).to.equal(CLONE.NEWNS | CLONE.NEWUSER | CLONE.NEWNET | CLONE.NEWPID);
    expect(ops(plan, 'setns')).to.deep.equal([]);
    expect(ops(plan, 'usernsRoot')).to.deep.equal([]);
  });

  it('inside a user namespace: devices are bound from the host, the fifo comes by fd', () => {
    const plan = buildLaunchPlan(withUserns([{ type: 'mount' }, { type: 'user' }, { type: 'network' }]), context());
    expect(ops(plan, 'mknod')).to.deep.equal([]);
    expect(ops(plan, 'bindDev')[0]).to.deep.equal({ op: 'bindDev', path: '/dev/null', hostPath: '/dev/null' });
    expect(ops(plan, 'bindDev').map((o) => o.path)).to.deep.equal(
      ['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty']);
    expect(ops(plan, 'fifoOpen')).to.deep.equal([]);
    expect(ops(plan, 'fifoFd')).to.deep.equal([{ op: 'fifoFd', fd: 4 }]);
    // Its own network namespace: sysfs is mounted, not bound.
    expect(ops(plan, 'mount').find((o) => o.destination === '/sys').fstype).to.equal('sysfs');
    expect(encodePlan(plan.ops).length).to.be.greaterThan(8);
  });

  it('without a network namespace of its own, /sys is the host\'s, bound recursively read-only', () => {
    for (const net of [[], [{ type: 'network', path: '/run/netns/n' }]]) {
      const plan = buildLaunchPlan(withUserns([{ type: 'mount' }, { type: 'user' }, ...net]), context());
      expect(ops(plan, 'mount').find((o) => o.destination === '/sys')).to.deep.equal({
        op: 'mount', source: '/sys', destination: '/sys', fstype: 'bind',
        flags: MS.NOSUID | MS.NOEXEC | MS.NODEV | MS.RDONLY | MS.BIND | MS.REC, data: '', propagation: 0, recAttrSet: 0x1,
      });
    }
  });

  it('without a user namespace nothing changes: mknod, fifo by path', () => {
    const config = fixture('minimal');
    const plan = buildLaunchPlan(config, context({ fifoFd: undefined }));
    expect(ops(plan, 'bindDev')).to.deep.equal([]);
    expect(ops(plan, 'mknod').length).to.equal(6);
    expect(ops(plan, 'fifoOpen')).to.deep.equal([{ op: 'fifoOpen', path: '/run/ts-oci/c1/exec.fifo' }]);
  });

  it('a joined user namespace: the others first, then user, its root, mount, then the new ones unshared in it', () => {
    const config = withUserns([
      { type: 'mount', path: '/proc/9/ns/mnt' }, { type: 'user', path: '/proc/9/ns/user' },
      { type: 'network', path: '/proc/9/ns/net' }, { type: 'ipc' }, { type: 'uts' }, { type: 'pid' }, { type: 'cgroup' },
    ]);
    delete config.linux.uidMappings;
    delete config.linux.gidMappings;
    const plan = buildLaunchPlan(config, context());
    expect(plan.cloneFlags).to.equal(0);
    expect(plan.ops.slice(0, 8)).to.deep.equal([
      { op: 'setns', path: '/proc/9/ns/net', nstype: CLONE.NEWNET, ns: 'network' },
      { op: 'setns', path: '/proc/9/ns/user', nstype: CLONE.NEWUSER, ns: 'user' },
      { op: 'usernsRoot' },
      { op: 'setns', path: '/proc/9/ns/mnt', nstype: CLONE.NEWNS, ns: 'mount' },
      { op: 'unshare', flags: CLONE.NEWUTS | CLONE.NEWIPC | CLONE.NEWPID, ns: 'uts,ipc,pid' },
      { op: 'unshare', flags: CLONE.NEWCGROUP, ns: 'cgroup' },
      // unshare(CLONE_NEWPID) only moves children: the plan goes on in one.
      { op: 'forkPidns' },
      { op: 'rootPropagation', flags: 0x80000 | MS.REC },
    ]);
  });

  it('a joined user namespace with a new mount namespace unshares it too', () => {
    const config = withUserns([{ type: 'mount' }, { type: 'user', path: '/proc/9/ns/user' }]);
    delete config.linux.uidMappings;
    delete config.linux.gidMappings;
    const plan = buildLaunchPlan(config, context());
    expect(plan.ops.slice(0, 3)).to.deep.equal([
      { op: 'setns', path: '/proc/9/ns/user', nstype: CLONE.NEWUSER, ns: 'user' },
      { op: 'usernsRoot' },
      { op: 'unshare', flags: CLONE.NEWNS, ns: 'mount' },
    ]);
    expect(ops(plan, 'forkPidns')).to.deep.equal([]);
  });

  it('an idmapped bind attaches the tree the runtime passed, with the mount\'s other flags', () => {
    const config = withUserns([{ type: 'mount' }, { type: 'user' }, { type: 'network' }]);
    config.mounts.push({ destination: '/data/', type: 'bind', source: '/srv', options: ['rbind', 'ro', 'nosuid', 'ridmap', 'rslave'] });
    const plan = buildLaunchPlan(config, context({ mountFds: { 2: 5 } }));
    expect(ops(plan, 'mountFd')).to.deep.equal([
      { op: 'mountFd', fd: 5, destination: '/data', flags: MS.RDONLY | MS.NOSUID, propagation: 0x80000 | MS.REC, recAttrSet: 0 },
    ]);
    expect(ops(plan, 'mount').map((o) => o.destination)).to.not.include('/data');
    expect(encodePlan(plan.ops).length).to.be.greaterThan(8);
  });

  it('a runtime inside a user namespace (Podman rootless) binds devices and, without an own netns, /sys', () => {
    const config = fixture('minimal');
    config.linux.namespaces = [{ type: 'mount' }, { type: 'pid' }];
    config.mounts = [{ destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['ro'] }];
    const plan = buildLaunchPlan(config, context({ fifoFd: undefined, runtimeInUserns: true }));
    expect(ops(plan, 'mknod')).to.deep.equal([]);
    expect(ops(plan, 'bindDev').length).to.equal(6);
    expect(ops(plan, 'mount')[0]).to.include({ source: '/sys', fstype: 'bind' });
    expect(ops(plan, 'fifoOpen').length).to.equal(1);
  });

  it('without a cgroup namespace of its own, a cgroup mount in a user namespace binds the host\'s, read-only', () => {
    const config = withUserns([{ type: 'mount' }, { type: 'user' }, { type: 'network' }]);
    config.mounts.push({ destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'ro'] });
    const bound = ops(buildLaunchPlan(config, context()), 'mount').find((o) => o.destination === '/sys/fs/cgroup');
    expect(bound).to.deep.equal({
      op: 'mount', source: '/sys/fs/cgroup', destination: '/sys/fs/cgroup', fstype: 'bind',
      flags: MS.NOSUID | MS.RDONLY | MS.BIND | MS.REC, data: '', propagation: 0, recAttrSet: 0x1,
    });
    config.linux.namespaces.push({ type: 'cgroup' });
    const own = ops(buildLaunchPlan(config, context()), 'mount').find((o) => o.destination === '/sys/fs/cgroup');
    expect(own.fstype).to.equal('cgroup2');
  });
});
