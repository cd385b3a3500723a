'use strict';
const { expect } = require('chai');
const { buildLaunchPlan } = require('../../../dist/plan/build');
const { encodePlan } = require('../../../dist/plan/encode');
const { ConfigError } = require('../../../dist/errors');
const { fixture } = require('../../fixtures/configs/make-bundle');

const CLONE = { NEWNS: 0x20000, NEWCGROUP: 0x2000000, NEWUTS: 0x4000000, NEWIPC: 0x8000000, NEWPID: 0x20000000,
  NEWNET: 0x40000000, NEWTIME: 0x80 };
const MS = { RDONLY: 0x1, NOSUID: 0x2, NODEV: 0x4, NOEXEC: 0x8, BIND: 0x1000, REC: 0x4000, PRIVATE: 0x40000,
  SLAVE: 0x80000, STRICTATIME: 0x1000000 };
const S_IFCHR = 0o020000;
const S_IFIFO = 0o010000;

function context(overrides = {}) {
  return {
    bundle: '/b',
    rootfs: '/b/rootfs',
    statePath: '/run/ts-oci/c1',
    fifoPath: '/run/ts-oci/c1/exec.fifo',
    noPivot: false,
    preserveFds: 0,
    hookState: (status) => `{"status":"${status}"}`,
    cgroup: undefined,
    ...overrides,
  };
}

const dev = (name, major, minor) => ({
  op: 'mknod', path: `/dev/${name}`, type: S_IFCHR, mode: 0o666, major, minor, uid: 0, gid: 0,
});
const DEFAULT_DEV_OPS = [
  dev('null', 1, 3), dev('zero', 1, 5), dev('full', 1, 7), dev('random', 1, 8), dev('urandom', 1, 9), dev('tty', 5, 0),
];
const DEV_SYMLINK_OPS = [
  { op: 'symlink', target: '/proc/self/fd', path: '/dev/fd' },
  { op: 'symlink', target: '/proc/self/fd/0', path: '/dev/stdin' },
  { op: 'symlink', target: '/proc/self/fd/1', path: '/dev/stdout' },
  { op: 'symlink', target: '/proc/self/fd/2', path: '/dev/stderr' },
  { op: 'symlink', target: 'pts/ptmx', path: '/dev/ptmx' },
];
const ROOT_CREDS_OPS = [
  { op: 'capBounding', keep: 0n },
  { op: 'keepCaps', on: true },
  { op: 'creds', uid: 0, gid: 0, groups: [] },
  { op: 'keepCaps', on: false },
  { op: 'caps', effective: 0n, permitted: 0n, inheritable: 0n, ambient: 0n },
];

function planError(config, ctx = context()) {
  try {
    buildLaunchPlan(config, ctx);
  } catch (e) {
    return e;
  }
  throw new Error('buildLaunchPlan did not fail');
}

const kinds = (plan) => plan.ops.map((o) => o.op);
const ALL_LSMS = { apparmor: true, apparmorExecAttr: 'thread-self/attr/apparmor/exec', selinux: true, resctrl: false };

describe('plan/build: buildLaunchPlan', () => {
  it('pins the whole plan of a small config', () => {
    const config = fixture('minimal');
    config.hostname = 'h';
    config.linux.namespaces.push({ type: 'uts' });
    config.process.env = ['PATH=/bin', 'A=1'];
    const plan = buildLaunchPlan(config, context());
    expect(plan.cloneFlags).to.equal(CLONE.NEWNS | CLONE.NEWUTS);
    expect(plan.warnings).to.deep.equal([]);
    expect(plan.ops).to.deep.equal([
      { op: 'rootPropagation', flags: MS.SLAVE | MS.REC },
      { op: 'rootfs', path: '/b/rootfs' },
      ...DEFAULT_DEV_OPS,
      ...DEV_SYMLINK_OPS,
      { op: 'sync', tag: 1 },
      { op: 'mkdir', path: '/' },
      { op: 'fifoOpen', path: '/run/ts-oci/c1/exec.fifo' },
      { op: 'pivotRoot' },
      { op: 'sethostname', name: 'h' },
      { op: 'sessionKeyring' },
      ...ROOT_CREDS_OPS,
      { op: 'umask', mask: 0o022 },
      { op: 'chdir', path: '/' },
      { op: 'resolveExec', file: '/bin/true', pathEnv: '/bin' },
      { op: 'created' },
      { op: 'exec', args: ['/bin/true'], env: ['PATH=/bin', 'A=1'], preserveFds: 0 },
    ]);
    expect(() => encodePlan(plan.ops)).to.not.throw();
  });

  it('pins the plan of mounts, devices, hooks and process settings', () => {
    const config = fixture('minimal');
    config.root.readonly = true;
    config.mounts = [
      { destination: '/proc', type: 'proc', source: 'proc' },
      { destination: '/dev/', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755'] },
      { destination: '/data', type: 'none', source: 'vol', options: ['rbind', 'rprivate', 'ro', 'rro'] },
    ];
    config.linux.devices = [{ type: 'c', path: '/dev/null', major: 1, minor: 3, fileMode: 0o20600, uid: 5, gid: 6 },
      { type: 'p', path: '/dev/fifo' }];
    config.linux.sysctl = { 'kernel.shmmax': '4096' };
    config.linux.readonlyPaths = ['/proc/sys'];
    config.linux.maskedPaths = ['/proc/kcore'];
    config.hooks = { createContainer: [{ path: '/h1' }], startContainer: [{ path: '/h2', args: ['h2', 'x'], env: ['E=1'], timeout: 4 }] };
    Object.assign(config.process, {
      user: { uid: 1000, gid: 100, umask: 0o077, additionalGids: [10] },
      capabilities: { bounding: ['CAP_KILL', 'CAP_CHOWN'], permitted: ['CAP_KILL'], effective: ['CAP_KILL'],
        inheritable: ['CAP_CHOWN'], ambient: ['CAP_KILL'] },
      rlimits: [{ type: 'RLIMIT_NOFILE', soft: 10, hard: 18446744073709551615 }],
      oomScoreAdj: -500,
      noNewPrivileges: true,
      cwd: '/work',
    });
    const plan = buildLaunchPlan(config, context({ preserveFds: 2 }));
    expect(plan.ops).to.deep.equal([
      { op: 'rootPropagation', flags: MS.SLAVE | MS.REC },
      { op: 'rootfs', path: '/b/rootfs' },
      { op: 'mount', source: 'proc', destination: '/proc', fstype: 'proc', flags: 0, data: '', propagation: 0, recAttrSet: 0 },
      { op: 'mount', source: 'tmpfs', destination: '/dev', fstype: 'tmpfs', flags: MS.NOSUID | MS.STRICTATIME,
        data: 'mode=755', propagation: 0, recAttrSet: 0 },
      { op: 'mount', source: '/b/vol', destination: '/data', fstype: 'bind', flags: MS.BIND | MS.REC | MS.RDONLY,
        data: '', propagation: MS.PRIVATE | MS.REC, recAttrSet: 0x1 },
      // The config's /dev/null replaces the default one; the others stay, in the default order.
      ...DEFAULT_DEV_OPS.slice(1),
      { op: 'mknod', path: '/dev/null', type: S_IFCHR, mode: 0o600, major: 1, minor: 3, uid: 5, gid: 6 },
      { op: 'mknod', path: '/dev/fifo', type: S_IFIFO, mode: 0o666, major: 0, minor: 0, uid: 0, gid: 0 },
      ...DEV_SYMLINK_OPS,
      { op: 'sync', tag: 1 },
      { op: 'hookState', json: '{"status":"creating"}' },
      { op: 'hook', hook: 'createContainer', path: '/h1', timeout: 0, args: ['/h1'], env: [] },
      { op: 'mkdir', path: '/work' },
      { op: 'fifoOpen', path: '/run/ts-oci/c1/exec.fifo' },
      { op: 'pivotRoot' },
      { op: 'procWrite', path: 'sys/kernel/shmmax', value: '4096' },
      { op: 'readonly', path: '/proc/sys' },
      { op: 'mask', path: '/proc/kcore' },
      { op: 'remountRootReadonly' },
      { op: 'sessionKeyring' },
      { op: 'procWrite', path: 'self/oom_score_adj', value: '-500' },
      { op: 'rlimit', name: 'RLIMIT_NOFILE', resource: 7, soft: 10n, hard: -1n },
      { op: 'capBounding', keep: (1n << 5n) | 1n },
      { op: 'keepCaps', on: true },
      { op: 'creds', uid: 1000, gid: 100, groups: [10] },
      { op: 'keepCaps', on: false },
      { op: 'caps', effective: 1n << 5n, permitted: 1n << 5n, inheritable: 1n, ambient: 1n << 5n },
      { op: 'umask', mask: 0o077 },
      { op: 'chdir', path: '/work' },
      { op: 'noNewPrivs' },
      { op: 'resolveExec', file: '/bin/true', pathEnv: '' },
      { op: 'created' },
      { op: 'hookState', json: '{"status":"created"}' },
      { op: 'hook', hook: 'startContainer', path: '/h2', timeout: 4, args: ['h2', 'x'], env: ['E=1'] },
      { op: 'exec', args: ['/bin/true'], env: [], preserveFds: 2 },
    ]);
    expect(() => encodePlan(plan.ops)).to.not.throw();
  });

  it('starts with the v1 cgroup joins, ahead of every namespace step', () => {
    const config = fixture('minimal');
    config.linux.namespaces.push({ type: 'cgroup' });
    const cgroupJoinFds = [{ fd: 4, path: '/sys/fs/cgroup/pids/c1/tasks' }, { fd: 5, path: '/sys/fs/cgroup/cpu/c1/tasks' }];
    const plan = buildLaunchPlan(config, context({ cgroupJoinFds }));
    expect(plan.ops.slice(0, 2)).to.deep.equal(cgroupJoinFds.map(({ fd, path }) => ({ op: 'cgroupJoin', fd, path })));
    expect(kinds(plan).indexOf('unshare')).to.be.greaterThan(1);
    expect(kinds(buildLaunchPlan(config, context())).filter((k) => k === 'cgroupJoin')).to.deep.equal([]);
  });

  it('moves the root instead of pivot_root with --no-pivot', () => {
    const plan = buildLaunchPlan(fixture('minimal'), context({ noPivot: true }));
    expect(kinds(plan)).to.include('chrootMove').and.not.include('pivotRoot');
    expect(kinds(plan).indexOf('chrootMove')).to.equal(kinds(plan).indexOf('fifoOpen') + 1);
  });

  it('creates no device nodes when config.json bind-mounts /dev', () => {
    const config = fixture('minimal');
    config.mounts = [{ destination: '/dev', type: 'bind', source: '/dev', options: ['rbind'] }];
    config.linux.devices = [{ type: 'c', path: '/dev/fuse', major: 10, minor: 229 }];
    expect(kinds(buildLaunchPlan(config, context()))).to.not.include.members(['mknod', 'symlink']);
  });

  it('treats a "bind" type without options as a non-recursive bind', () => {
    const config = fixture('minimal');
    config.mounts = [{ destination: '/etc/hosts', type: 'bind', source: '/srv/hosts' }];
    const mount = buildLaunchPlan(config, context()).ops.find((o) => o.op === 'mount');
    expect(mount).to.deep.equal({ op: 'mount', source: '/srv/hosts', destination: '/etc/hosts', fstype: 'bind',
      flags: MS.BIND, data: '', propagation: 0, recAttrSet: 0 });
  });

  it('plans the full fixture: namespaces, time offsets, sysctls and warnings', () => {
    const config = fixture('full');
    // Compiled by create, not the plan builder; the others are refused here or without resctrl (see the refusal tests).
    delete config.linux.seccomp;
    delete config.linux.netDevices;
    delete config.linux.intelRdt;
    const plan = buildLaunchPlan(config, context({ bundle: '/bundle', rootfs: '/bundle/rootfs', host: ALL_LSMS }));
    expect(plan.cloneFlags).to.equal(CLONE.NEWPID | CLONE.NEWNET | CLONE.NEWIPC | CLONE.NEWUTS | CLONE.NEWNS);
    expect(plan.ops.slice(0, 4)).to.deep.equal([
      { op: 'unshare', flags: CLONE.NEWCGROUP, ns: 'cgroup' },
      { op: 'unshare', flags: CLONE.NEWTIME, ns: 'time' },
      { op: 'procWrite', path: 'self/timens_offsets', value: 'monotonic 100 5\nboottime -7 0\n' },
      { op: 'rootPropagation', flags: MS.SLAVE },
    ]);
    expect(plan.ops.filter((o) => o.op === 'procWrite' && o.path.startsWith('sys/'))).to.deep.equal([
      { op: 'procWrite', path: 'sys/net/ipv4/ip_forward', value: '1' },
      { op: 'procWrite', path: 'sys/net/ipv4/conf/eth0.100/forwarding', value: '0' },
      { op: 'procWrite', path: 'sys/kernel/shmmax', value: '4096' },
      { op: 'procWrite', path: 'sys/kernel/domainname', value: 'x' },
    ]);
    const at = (kind) => kinds(plan).indexOf(kind);
    expect(at('setdomainname')).to.equal(at('sethostname') + 1);
    expect(plan.ops.find((o) => o.op === 'resolveExec')).to.deep.equal({ op: 'resolveExec', file: 'sh', pathEnv: '/opt/bin:/bin' });
    expect(plan.ops.find((o) => o.op === 'rlimit' && o.name === 'RLIMIT_CORE')).to.include({ soft: -1n, hard: -1n });
    expect(plan.warnings).to.deep.equal([]);
    // Scheduler, I/O priority, memory policy and the LSM labels come before the capability drop; personality last.
    expect(plan.ops.slice(at('sessionKeyring') + 1, at('sessionKeyring') + 6)).to.deep.equal([
      { op: 'schedSetattr', policy: 0, flags: 0, nice: 5, priority: 0, runtime: 0n, deadline: 0n, period: 0n },
      { op: 'ioprioSet', prio: (2 << 13) | 4 },
      { op: 'setMempolicy', mode: 3 | (1 << 15), nodemask: [3n] },
      { op: 'procWrite', path: 'thread-self/attr/apparmor/exec', value: 'exec unconfined' },
      { op: 'procWrite', path: 'thread-self/attr/exec', value: 'system_u:system_r:container_t:s0' },
    ]);
    expect(plan.ops[at('created') - 1]).to.deep.equal({ op: 'personality', persona: 0 });
    const devMount = plan.ops.find((o) => o.op === 'mount' && o.destination === '/dev');
    expect(devMount.data).to.equal('mode=755,size=65536k,context="system_u:object_r:container_file_t:s0"');
    expect(plan.ops.find((o) => o.op === 'mount' && o.destination === '/data').data).to.equal('');
    expect(plan.ops.find((o) => o.op === 'mount' && o.fstype === 'proc').data).to.equal('');
    expect(() => encodePlan(plan.ops)).to.not.throw();
  });

  it('joins namespaces by path, mount last, and leaves them out of the clone flags', () => {
    const config = fixture('minimal');
    config.linux.namespaces = [
      { type: 'mount', path: '/proc/1/ns/mnt' }, { type: 'network', path: '/run/netns/n' }, { type: 'pid' },
      { type: 'uts', path: '/proc/1/ns/uts' }, { type: 'ipc', path: '/proc/1/ns/ipc' }, { type: 'cgroup', path: '/proc/1/ns/cgroup' },
    ];
    const plan = buildLaunchPlan(config, context());
    expect(plan.cloneFlags).to.equal(CLONE.NEWPID);
    expect(plan.ops.slice(0, 6)).to.deep.equal([
      { op: 'setns', path: '/proc/1/ns/ipc', nstype: CLONE.NEWIPC, ns: 'ipc' },
      { op: 'setns', path: '/proc/1/ns/uts', nstype: CLONE.NEWUTS, ns: 'uts' },
      { op: 'setns', path: '/run/netns/n', nstype: CLONE.NEWNET, ns: 'network' },
      { op: 'setns', path: '/proc/1/ns/cgroup', nstype: CLONE.NEWCGROUP, ns: 'cgroup' },
      { op: 'setns', path: '/proc/1/ns/mnt', nstype: CLONE.NEWNS, ns: 'mount' },
      { op: 'rootPropagation', flags: MS.SLAVE | MS.REC },
    ]);
  });

  it('joins a pid namespace before the mount namespace, then forks into it after the unshares', () => {
    const config = fixture('minimal');
    config.linux.namespaces = [
      { type: 'mount' }, { type: 'pid', path: '/proc/7/ns/pid' }, { type: 'time' }, { type: 'network', path: '/n' },
    ];
    config.linux.timeOffsets = { boottime: { secs: 5 } };
    const plan = buildLaunchPlan(config, context());
    expect(plan.cloneFlags).to.equal(CLONE.NEWNS);
    expect(plan.ops.slice(0, 5)).to.deep.equal([
      { op: 'setns', path: '/n', nstype: CLONE.NEWNET, ns: 'network' },
      { op: 'setns', path: '/proc/7/ns/pid', nstype: CLONE.NEWPID, ns: 'pid' },
      { op: 'unshare', flags: CLONE.NEWTIME, ns: 'time' },
      { op: 'procWrite', path: 'self/timens_offsets', value: 'boottime 5 0\n' },
      { op: 'forkPidns' },
    ]);
  });

  it('plans an engine-style config: joined netns, rslave root, bind mounts', () => {
    const plan = buildLaunchPlan(fixture('engine-style'), context());
    expect(plan.cloneFlags).to.equal(CLONE.NEWNS | CLONE.NEWUTS | CLONE.NEWPID | CLONE.NEWIPC);
    expect(plan.ops[0]).to.deep.equal({ op: 'setns', path: '/var/run/netns/abc123', nstype: CLONE.NEWNET, ns: 'network' });
    expect(plan.ops[1]).to.deep.equal({ op: 'rootPropagation', flags: MS.SLAVE | MS.REC });
    expect(plan.ops.filter((o) => o.op === 'mount' && o.fstype === 'bind').map((o) => [o.destination, o.flags, o.propagation]))
      .to.deep.equal([
        ['/etc/hosts', MS.BIND | MS.REC, MS.PRIVATE | MS.REC],
        ['/etc/resolv.conf', MS.BIND | MS.REC | MS.RDONLY, MS.PRIVATE | MS.REC],
      ]);
  });

  const cloneCases = [
    [['mount'], CLONE.NEWNS],
    [['mount', 'pid', 'network', 'ipc', 'uts'], CLONE.NEWNS | CLONE.NEWPID | CLONE.NEWNET | CLONE.NEWIPC | CLONE.NEWUTS],
    [['mount', 'cgroup', 'time'], CLONE.NEWNS],
  ];
  for (const [types, flags] of cloneCases) {
    it(`clones with 0x${flags.toString(16)} for ${types.join(',')}`, () => {
      const config = fixture('minimal');
      config.linux.namespaces = types.map((type) => ({ type }));
      expect(buildLaunchPlan(config, context()).cloneFlags).to.equal(flags);
    });
  }

  const refusals = [
    ['no process', (c) => { delete c.process; }, context(), '/process', 'process must be specified to create a container'],
    ['a user namespace without the fifo passed', (c) => { c.linux.namespaces.push({ type: 'user' }); }, context(),
      '/linux/namespaces', 'a user namespace needs the exec fifo passed by the runtime'],
    ['network devices with a joined user namespace', (c) => {
      c.linux.namespaces.push({ type: 'user', path: '/proc/1/ns/user' }, { type: 'network' });
      c.linux.netDevices = { eth9: {} };
    }, context({ fifoFd: 4 }), '/linux/netDevices',
    'network devices cannot be moved into a container that joins a user namespace by path'],
    ['a private root with --no-pivot', (c) => { c.linux.rootfsPropagation = 'rprivate'; }, context({ noPivot: true }),
      '/linux/rootfsPropagation', 'rootfsPropagation of [r]private is not safe without pivot_root'],
    ['an idmap mount without the runtime\'s tree', (c) => {
      c.mounts = [{ destination: '/m', source: '/s', options: ['rbind', 'ridmap'] }];
    }, context(), '/mounts/0', 'an id-mapped mount needs its tree made by the runtime'],
  ];
  for (const [what, edit, ctx, field, message] of refusals) {
    it(`refuses ${what}`, () => {
      const config = fixture('minimal');
      edit(config);
      const err = planError(config, ctx);
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.equal(`${ctx.bundle}/config.json: ${field}: ${message}`);
      expect(err.field).to.equal(field);
    });
  }

  it('allows a shared root with --no-pivot', () => {
    const config = fixture('minimal');
    config.linux.rootfsPropagation = 'shared';
    const plan = buildLaunchPlan(config, context({ noPivot: true }));
    expect(plan.ops.find((o) => o.op === 'rootPropagation')).to.deep.equal({ op: 'rootPropagation', flags: 0x100000 });
  });

  it('tmpcopyup: opens the image directory, mounts the tmpfs writable, copies, then makes it read-only if asked', () => {
    const config = fixture('minimal');
    config.mounts = [{ destination: '/etc/', type: 'tmpfs', source: 'tmpfs', options: ['tmpcopyup', 'mode=755', 'ro', 'nosuid'] }];
    const plan = buildLaunchPlan(config, context());
    expect(plan.warnings).to.deep.equal([]);
    const i = plan.ops.findIndex((o) => o.op === 'copyupOpen');
    const [open, mount, fill, remount] = plan.ops.slice(i, i + 4);
    expect(open).to.deep.equal({ op: 'copyupOpen', destination: '/etc' });
    expect(mount).to.include({ op: 'mount', destination: '/etc', fstype: 'tmpfs', data: 'mode=755' });
    expect(mount.flags & 0x1, 'writable while copying').to.equal(0);
    expect(fill).to.deep.equal({ op: 'copyupFill', destination: '/etc' });
    expect(remount).to.include({ op: 'mount', destination: '/etc', data: '' });
    expect(remount.flags & 0x21, 'MS_REMOUNT | MS_RDONLY').to.equal(0x21);
    expect(remount.flags & 0x2, 'nosuid kept').to.equal(0x2);
    // Without ro, no remount follows.
    config.mounts[0].options = ['tmpcopyup'];
    const rw = buildLaunchPlan(config, context()).ops;
    expect(rw[rw.findIndex((o) => o.op === 'copyupFill') + 1]).to.not.include({ destination: '/etc', data: '' });
  });

  it('tmpcopyup on anything but a tmpfs is refused (runc would ignore it)', () => {
    const config = fixture('minimal');
    config.mounts = [{ destination: '/data', type: 'bind', source: '/tmp', options: ['rbind', 'tmpcopyup'] }];
    expect(() => buildLaunchPlan(config, context())).to.throw(/"tmpcopyup" is only for tmpfs mounts/);
  });
});
