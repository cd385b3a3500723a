'use strict';
// Every config field is applied or refused: the scheduling, I/O and memory
// settings and the personality checked from inside real containers; fields
// this host cannot apply refuse the create and leave nothing behind.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

let vethCounter = 0;
/** A veth pair with names unique to this test run (no dummy driver here); its first end carries 10.199.x.y/24. */
function makeVeth() {
  const base = `tv${process.pid % 100000}${++vethCounter}`;
  const pair = { inner: `${base}a`, peer: `${base}b`, addr: `10.199.${vethCounter}.${(process.pid % 250) + 2}` };
  const ip = (...args) => {
    const r = spawnSync('ip', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  };
  ip('link', 'add', pair.inner, 'type', 'veth', 'peer', 'name', pair.peer);
  ip('addr', 'add', `${pair.addr}/24`, 'dev', pair.inner);
  return pair;
}

function removeVeth(pair) {
  for (const name of [pair.inner, pair.peer]) {
    if (fs.existsSync(`/sys/class/net/${name}`)) spawnSync('ip', ['link', 'del', name]);
  }
}

/** Every host directory a container with cgroupsPath `inner` (absolute) would use. */
function cgroupDirs(inner) {
  const dirs = [];
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right || !/^cgroup2? /.test(right)) continue;
    dirs.push(path.join(left.split(' ')[4], inner));
  }
  return dirs;
}

describe('config fields applied or refused (inside the container)', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  const run = (script, edit) => h.runOk(root, script, edit);

  /** A create that must fail: its stderr, with no state directory and no cgroup left. */
  function refused(edit) {
    const bundle = h.makeBundle((c) => {
      c.process.args = ['true'];
      edit(c);
    });
    const id = h.uniqueId('refused');
    const inner = `/ts-oci-test/${id}`;
    const config = JSON.parse(fs.readFileSync(path.join(bundle, 'config.json'), 'utf8'));
    config.linux.cgroupsPath = inner;
    fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(config));
    const r = h.cli(root, ['create', '-b', bundle, id]);
    expect(r.status, r.stderr).to.equal(1);
    expect(fs.existsSync(path.join(root, id)), 'state directory').to.equal(false);
    for (const dir of cgroupDirs(inner)) expect(fs.existsSync(dir), dir).to.equal(false);
    return r.stderr;
  }

  it('scheduler: the policy and nice value are the container process\'s', () => {
    const out = run('awk \'{print $41, $19}\' /proc/self/stat', (c) => {
      c.process.scheduler = { policy: 'SCHED_BATCH', nice: 7 };
    });
    expect(out).to.equal('3 7\n');
    expect(run('awk \'{print $41}\' /proc/self/stat', (c) => (c.process.scheduler = { policy: 'SCHED_IDLE' }))).to.equal('5\n');
  });

  it('scheduler: a negative nice (needs the capability the helper still has) and RESET_ON_FORK', () => {
    const out = run('awk \'{print $19}\' /proc/$$/stat; awk \'{print $19}\' /proc/self/stat; true', (c) => {
      c.process.scheduler = { policy: 'SCHED_OTHER', nice: -5, flags: ['SCHED_FLAG_RESET_ON_FORK'] };
    });
    // The shell (the container process) keeps nice -5; awk, forked from it, is reset to 0.
    expect(out).to.equal('-5\n0\n');
  });

  it('ioPriority: class and level, as ionice reports them', () => {
    expect(run('ionice -p $$', (c) => (c.process.ioPriority = { class: 'IOPRIO_CLASS_BE', priority: 6 }))).to.match(/best-effort: prio 6/);
    expect(run('ionice -p $$', (c) => (c.process.ioPriority = { class: 'IOPRIO_CLASS_IDLE' }))).to.match(/idle/);
  });

  it('personality: LINUX32 makes uname report a 32-bit machine', () => {
    expect(run('uname -m')).to.equal('x86_64\n');
    expect(run('uname -m', (c) => (c.linux.personality = { domain: 'LINUX32' }))).to.equal('i686\n');
  });

  it('memoryPolicy: the process policy shows in numa_maps', () => {
    const out = run('grep -c interleave:0 /proc/self/numa_maps', (c) => {
      c.linux.memoryPolicy = { mode: 'MPOL_INTERLEAVE', nodes: '0' };
    });
    expect(Number(out)).to.be.above(0);
  });

  it('a setting the kernel refuses fails the create with the step named', () => {
    const stderr = refused((c) => (c.linux.memoryPolicy = { mode: 'MPOL_BIND', nodes: '1000' }));
    expect(stderr).to.match(/^ts-oci: create refused-\S+: set memory policy \(set_mempolicy\): EINVAL\n$/);
  });

  it('apparmorProfile is refused on a host without AppArmor', () => {
    const stderr = refused((c) => (c.process.apparmorProfile = 'docker-default'));
    expect(stderr).to.match(/config\.json: \/process\/apparmorProfile: AppArmor is not enabled on this host\n$/);
  });

  it('selinuxLabel and mountLabel are refused on a host without SELinux', () => {
    expect(refused((c) => (c.process.selinuxLabel = 'system_u:system_r:container_t:s0'))).to.contain(
      '/process/selinuxLabel: selinux label is specified in config, but selinux is disabled or not supported');
    expect(refused((c) => (c.linux.mountLabel = 'system_u:object_r:container_file_t:s0'))).to.contain('/linux/mountLabel: ');
  });

  it('intelRdt is refused without resctrl', () => {
    expect(refused((c) => (c.linux.intelRdt = { closID: 'x' }))).to.contain('/linux/intelRdt: Intel RDT is not available on this host');
  });

  it('resources this host cannot apply are refused, naming the field', () => {
    // 4MB: no x86-64 host has that page size, whether or not the hugetlb controller is mounted.
    expect(refused((c) => (c.linux.resources.hugepageLimits = [{ pageSize: '4MB', limit: 0 }])))
      .to.contain('linux.resources.hugepageLimits[0]: cannot be applied on this host');
    // An rdma device that does not exist: no rdma hierarchy, or no such device in rdma.max.
    const rdma = refused((c) => (c.linux.resources.rdma = { tsoci_nodev: { hcaHandles: 1 } }));
    expect(rdma).to.match(/linux\.resources\.rdma\.tsoci_nodev: cannot be applied on this host|rdma\.max/);
    expect(refused((c) => (c.linux.resources.memory = { kernel: 1 << 24 }))).to.contain('linux.resources.memory.kernel: ');
  });

  it('netDevices: a host interface moves in renamed, keeps its address, is up; the namespace takes it at delete', () => {
    const pair = makeVeth();
    try {
      const id = h.uniqueId('netdev');
      const bundle = h.makeBundle((c) => {
        c.process.args = ['sleep', '1000'];
        c.linux.netDevices = { [pair.inner]: { name: 'ctr0' } };
      });
      const r = h.cli(root, ['create', '-b', bundle, id]);
      expect(r.status, r.stderr).to.equal(0);
      expect(fs.existsSync(`/sys/class/net/${pair.inner}`), 'gone from the host').to.equal(false);
      const pid = JSON.parse(h.cli(root, ['state', id]).stdout).pid;
      const inside = (cmd) => spawnSync('nsenter', ['-t', String(pid), '-n', '-m', '--', ...cmd], { encoding: 'utf8' }).stdout;
      expect(inside(['cat', '/sys/class/net/ctr0/flags']).trim()).to.match(/^0x1[0-9a-f]*[13579bdf]$/); // IFF_UP
      expect(inside(['ip', '-o', '-4', 'addr', 'show', 'dev', 'ctr0'])).to.contain(`inet ${pair.addr}/24`);
      expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);
      // A virtual device dies with the namespace (spec: the runtime MUST NOT move it back); its peer goes with it.
      h.waitFor(() => !fs.existsSync(`/sys/class/net/${pair.peer}`), 'veth pair destroyed with the namespace');
      expect(fs.existsSync(`/sys/class/net/${pair.inner}`)).to.equal(false);
    } finally {
      removeVeth(pair);
    }
  });

  it('netDevices: a "%d" template is resolved by the kernel inside; a missing device is refused', () => {
    const pair = makeVeth();
    try {
      const out = run('ls /sys/class/net', (c) => (c.linux.netDevices = { [pair.inner]: { name: 'net%d' } }));
      expect(out.split('\n')).to.include('net0');
    } finally {
      removeVeth(pair);
    }
    expect(refused((c) => (c.linux.netDevices = { tsoci_nonexist: {} }))).to.contain('/linux/netDevices/tsoci_nonexist: no network device "tsoci_nonexist" on the host');
    expect(refused((c) => {
      c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'network');
      c.linux.netDevices = { eth0: {} };
    })).to.contain('/linux/netDevices: network devices can only be moved into a private network namespace');
  });
});
