'use strict';
const { expect } = require('chai');
const { buildLaunchPlan } = require('../../../dist/plan/build');
const { encodePlan } = require('../../../dist/plan/encode');
const { describeOp } = require('../../../dist/plan/describe');
const { cpuAffinityOp } = require('../../../dist/plan/process-settings');
const { parseIdList, idMaskWords } = require('../../../dist/spec/id-list');
const { ConfigError } = require('../../../dist/errors');
const { fixture } = require('../../fixtures/configs/make-bundle');

const NO_LSM = { apparmor: false, apparmorExecAttr: '', selinux: false, resctrl: false };

function context(host) {
  return {
    bundle: '/b', rootfs: '/b/rootfs', statePath: '/s', fifoPath: '/s/exec.fifo', noPivot: false, preserveFds: 0,
    hookState: (s) => s, cgroup: undefined, ...(host ? { host } : {}),
  };
}

function plan(edit, host) {
  const config = fixture('minimal');
  edit(config);
  return buildLaunchPlan(config, context(host));
}

/** The one-line error a config gets; fails the test if the plan builds. */
function refusal(edit, host) {
  try {
    plan(edit, host);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return e.message;
  }
  throw new Error('the plan was built');
}

const opOf = (p, kind) => p.ops.find((o) => o.op === kind);

describe('plan: process and linux settings (scheduler, ioPriority, memoryPolicy, personality)', () => {
  it('scheduler: policy, flags and deadline parameters become one sched_setattr', () => {
    const p = plan((c) => {
      c.process.scheduler = { policy: 'SCHED_DEADLINE', flags: ['SCHED_FLAG_RESET_ON_FORK', 'SCHED_FLAG_RECLAIM'], runtime: 10, deadline: 20, period: 30 };
    });
    expect(opOf(p, 'schedSetattr')).to.deep.equal({ op: 'schedSetattr', policy: 6, flags: 3, nice: 0, priority: 0, runtime: 10n, deadline: 20n, period: 30n });
    expect(opOf(plan((c) => { c.process.scheduler = { policy: 'SCHED_FIFO', priority: 10 }; }), 'schedSetattr')).to.include({ policy: 1, priority: 10 });
  });

  it("scheduler: runc's checks, naming the field", () => {
    expect(refusal((c) => { c.process.scheduler = { policy: 'SCHED_OTHER', nice: 20 }; })).to.contain('/process/scheduler/nice: invalid scheduler.nice: 20');
    expect(refusal((c) => { c.process.scheduler = { policy: 'SCHED_BATCH', priority: 1 }; })).to.contain('scheduler.priority can only be specified for SchedFIFO or SchedRR policy');
    expect(refusal((c) => { c.process.scheduler = { policy: 'SCHED_RR', runtime: 1 }; })).to.contain('/process/scheduler: scheduler runtime/deadline/period can only be specified for SchedDeadline policy');
    expect(refusal((c) => { c.process.scheduler = { policy: 'SCHED_ISO' }; })).to.contain('/process/scheduler/policy: SCHED_ISO is reserved');
  });

  it('ioPriority: class << 13 | level; a level outside 0..7 is refused', () => {
    expect(opOf(plan((c) => { c.process.ioPriority = { class: 'IOPRIO_CLASS_IDLE' }; }), 'ioprioSet')).to.deep.equal({ op: 'ioprioSet', prio: 3 << 13 });
    expect(refusal((c) => { c.process.ioPriority = { class: 'IOPRIO_CLASS_RT', priority: 8 }; })).to.contain('/process/ioPriority/priority: invalid I/O priority 8');
  });

  it('memoryPolicy: mode | flags and the node mask; node rules of the mode', () => {
    const p = plan((c) => { c.linux.memoryPolicy = { mode: 'MPOL_BIND', nodes: '0,65-66', flags: ['MPOL_F_RELATIVE_NODES'] }; });
    expect(opOf(p, 'setMempolicy')).to.deep.equal({ op: 'setMempolicy', mode: 2 | (1 << 14), nodemask: [1n, 6n] });
    expect(opOf(plan((c) => { c.linux.memoryPolicy = { mode: 'MPOL_LOCAL' }; }), 'setMempolicy')).to.deep.equal({ op: 'setMempolicy', mode: 4, nodemask: [0n] });
    expect(refusal((c) => { c.linux.memoryPolicy = { mode: 'MPOL_DEFAULT', nodes: '0' }; })).to.contain('/linux/memoryPolicy/nodes: MPOL_DEFAULT does not take nodes');
    expect(refusal((c) => { c.linux.memoryPolicy = { mode: 'MPOL_INTERLEAVE' }; })).to.contain('MPOL_INTERLEAVE needs at least one node');
    expect(refusal((c) => { c.linux.memoryPolicy = { mode: 'MPOL_BIND', nodes: '3-1' }; })).to.contain('/linux/memoryPolicy/nodes: invalid range "3-1"');
    expect(refusal((c) => { c.linux.memoryPolicy = { mode: 'MPOL_BIND', nodes: '0', flags: ['MPOL_F_STATIC_NODES', 'MPOL_F_RELATIVE_NODES'] }; })).to.contain('cannot be combined');
  });

  it('personality: LINUX32 just before `created`; flags are refused (the spec defines none)', () => {
    const p = plan((c) => { c.linux.personality = { domain: 'LINUX32' }; });
    const kinds = p.ops.map((o) => o.op);
    expect(p.ops[kinds.indexOf('created') - 1]).to.deep.equal({ op: 'personality', persona: 8 });
    expect(kinds.indexOf('resolveExec')).to.equal(kinds.indexOf('created') - 2);
    expect(refusal((c) => { c.linux.personality = { domain: 'LINUX', flags: ['ADDR_NO_RANDOMIZE'] }; })).to.contain('/linux/personality/flags: personality flags are not supported');
  });

  it('settings run before the capability drop (SCHED_FIFO and RT I/O need capabilities)', () => {
    const p = plan((c) => { c.process.scheduler = { policy: 'SCHED_BATCH' }; c.process.ioPriority = { class: 'IOPRIO_CLASS_BE' }; });
    const kinds = p.ops.map((o) => o.op);
    expect(kinds.indexOf('schedSetattr')).to.be.below(kinds.indexOf('capBounding'));
    expect(kinds.indexOf('ioprioSet')).to.be.below(kinds.indexOf('capBounding'));
  });

  it('execCPUAffinity is checked at create and not applied to the init (spec); exec gets the op', () => {
    const p = plan((c) => { c.process.execCPUAffinity = { initial: '0', final: '0-1' }; });
    expect(p.ops.some((o) => o.op === 'schedSetaffinity')).to.equal(false);
    expect(refusal((c) => { c.process.execCPUAffinity = { final: '0-x' }; })).to.contain('/process/execCPUAffinity/final: invalid list');
    const fail = (f, m) => { throw new Error(`${f}: ${m}`); };
    expect(cpuAffinityOp('0-1,64', '/f', fail)).to.deep.equal({ op: 'schedSetaffinity', cpumask: [3n, 1n] });
  });

  it('the new ops encode and describe themselves', () => {
    const ops = [
      { op: 'personality', persona: 8 },
      { op: 'schedSetattr', policy: 6, flags: 1, nice: -3, priority: 0, runtime: 1n, deadline: 2n, period: 3n },
      { op: 'ioprioSet', prio: 8196 },
      { op: 'setMempolicy', mode: 2, nodemask: [1n, 1n << 63n] },
      { op: 'schedSetaffinity', cpumask: [0xffn] },
    ];
    expect(() => encodePlan(ops)).to.not.throw();
    expect(ops.map(describeOp)).to.deep.equal(['set personality 0x8', 'set scheduler (sched_setattr)',
      'set I/O priority (ioprio_set)', 'set memory policy (set_mempolicy)', 'set CPU affinity (sched_setaffinity)']);
  });

  it('id lists: ranges, duplicates, bounds', () => {
    expect(parseIdList('3,0-2,2')).to.deep.equal([0, 1, 2, 3]);
    expect(idMaskWords([0, 63, 64])).to.deep.equal([(1n << 63n) | 1n, 1n]);
    expect(() => parseIdList('')).to.throw(/invalid list/);
    expect(() => parseIdList('70000')).to.throw(/above the maximum/);
  });
});

describe('plan: fields applied only where the host can, else refused', () => {
  it('apparmorProfile: refused without AppArmor, else the exec attribute is written', () => {
    expect(refusal((c) => { c.process.apparmorProfile = 'docker-default'; }, NO_LSM))
      .to.equal('/b/config.json: /process/apparmorProfile: AppArmor is not enabled on this host');
    const p = plan((c) => { c.process.apparmorProfile = 'docker-default'; }, { ...NO_LSM, apparmor: true, apparmorExecAttr: 'thread-self/attr/exec' });
    expect(p.ops).to.deep.include({ op: 'procWrite', path: 'thread-self/attr/exec', value: 'exec docker-default' });
  });

  it('with no host information everything host-dependent is refused (fail closed)', () => {
    expect(refusal((c) => { c.process.apparmorProfile = 'x'; })).to.contain('AppArmor is not enabled');
  });

  it("selinuxLabel and mountLabel: refused without SELinux (runc's phrase for the label)", () => {
    expect(refusal((c) => { c.process.selinuxLabel = 'system_u:system_r:container_t:s0'; }, NO_LSM))
      .to.equal('/b/config.json: /process/selinuxLabel: selinux label is specified in config, but selinux is disabled or not supported');
    expect(refusal((c) => { c.linux.mountLabel = 'system_u:object_r:container_file_t:s0'; }, NO_LSM)).to.contain('/linux/mountLabel: ');
    expect(refusal((c) => { c.linux.mountLabel = 'a,b'; }, { ...NO_LSM, selinux: true })).to.contain('invalid mount label');
  });

  it('intelRdt: refused without resctrl, and not supported where it exists', () => {
    expect(refusal((c) => { c.linux.intelRdt = { closID: 'x' }; }, NO_LSM)).to.contain('/linux/intelRdt: Intel RDT is not available on this host: resctrl is not mounted');
    expect(refusal((c) => { c.linux.intelRdt = { closID: 'x' }; }, { ...NO_LSM, resctrl: true })).to.contain('/linux/intelRdt: Intel RDT (resctrl) is not supported yet');
  });

  it('sections for other platforms and VM containers are refused', () => {
    for (const section of ['windows', 'solaris', 'zos', 'freebsd', 'vm']) {
      expect(refusal((c) => { c[section] = {}; }), section).to.contain(`/${section}: `);
    }
  });

  it('nothing is left as a warning: an empty config plans without warnings', () => {
    expect(plan(() => {}).warnings).to.deep.equal([]);
  });
});

describe('plan: linux.netDevices', () => {
  const { netDeviceMoves } = require('../../../dist/plan/net-devices');
  const fail = (f, m) => { throw new ConfigError(`${f}: ${m}`); };
  const withNet = (netDevices, ns = [{ type: 'network' }]) => ({ namespaces: [{ type: 'mount' }, ...ns], netDevices });
  const notHost = () => false;

  it('renames in the move itself, except a "%d" template, which the kernel resolves inside', () => {
    expect(netDeviceMoves(withNet({ eth1: { name: 'eth0' }, veth9: {}, ens3: { name: 'net%d' } }), notHost, fail)).to.deep.equal([
      { hostName: 'eth1', moveName: 'eth0', finalName: 'eth0' },
      { hostName: 'veth9', moveName: 'veth9', finalName: 'veth9' },
      { hostName: 'ens3', moveName: '', finalName: 'net%d' },
    ]);
  });

  it('needs a private network namespace: none, or a joined one that is the host\'s, is refused', () => {
    expect(() => netDeviceMoves(withNet({ eth1: {} }, []), notHost, fail)).to.throw(ConfigError, '/linux/netDevices: network devices can only be moved into a private network namespace');
    expect(() => netDeviceMoves(withNet({ eth1: {} }, [{ type: 'network', path: '/proc/1/ns/net' }]), () => true, fail)).to.throw(ConfigError, /private network namespace/);
    expect(netDeviceMoves(withNet({ eth1: {} }, [{ type: 'network', path: '/run/netns/x' }]), notHost, fail)).to.have.length(1);
  });

  it('refuses bad names and two devices with one name', () => {
    expect(() => netDeviceMoves(withNet({ 'a/b': {} }), notHost, fail)).to.throw(ConfigError, /invalid host device name "a\/b"/);
    expect(() => netDeviceMoves(withNet({ eth1: { name: 'x'.repeat(16) } }), notHost, fail)).to.throw(ConfigError, /\/linux\/netDevices\/eth1\/name: invalid device name/);
    expect(() => netDeviceMoves(withNet({ eth1: { name: 'a%sb' } }), notHost, fail)).to.throw(ConfigError, /one "%d"/);
    expect(() => netDeviceMoves(withNet({ eth1: { name: 'x' }, eth2: { name: 'x' } }), notHost, fail)).to.throw(ConfigError, /two network devices would be named "x"/);
  });

  it('sets each device up first thing in the namespace, after joining it; unprepared devices are refused', () => {
    const config = fixture('minimal');
    config.linux.namespaces.push({ type: 'network', path: '/run/netns/x' });
    config.linux.netDevices = { eth1: { name: 'eth0' }, ens3: { name: 'n%d' } };
    const addresses = Buffer.alloc(40);
    const netDevices = [
      { hostName: 'eth1', moveName: 'eth0', finalName: 'eth0', index: 7, addresses },
      { hostName: 'ens3', moveName: '', finalName: 'n%d', index: 8, addresses: Buffer.alloc(0) },
    ];
    const p = buildLaunchPlan(config, { ...context(), netDevices });
    const kinds = p.ops.map((o) => o.op);
    expect(kinds.slice(0, 3)).to.deep.equal(['setns', 'netdevSetup', 'netdevSetup']);
    expect(p.ops[1]).to.deep.equal({ op: 'netdevSetup', name: 'eth0', finalName: 'eth0', addresses });
    expect(p.ops[2]).to.include({ name: 'ens3', finalName: 'n%d' });
    expect(() => encodePlan(p.ops)).to.not.throw();
    expect(describeOp(p.ops[1])).to.equal('set up network device eth0');
    expect(() => buildLaunchPlan(config, context())).to.throw(ConfigError, 'network device eth1 was not prepared by the runtime');
  });
});
