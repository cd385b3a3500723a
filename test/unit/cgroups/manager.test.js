'use strict';
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { FakeCgroupfs } = require('./fake-cgroupfs');
const m = require('../../../dist/cgroups/manager');
const { RuntimeError, ConfigError } = require('../../../dist/errors');

const HYBRID = [
  { mount: 'memory', controllers: ['memory'] },
  { mount: 'pids', controllers: ['pids'] },
  { mount: 'cpu,cpuacct', controllers: ['cpu', 'cpuacct'] },
  { mount: 'cpuset', controllers: ['cpuset'] },
  { mount: 'devices', controllers: ['devices'] },
  { mount: 'freezer', controllers: ['freezer'] },
  { mount: 'blkio', controllers: ['blkio'] },
  { mount: 'systemd', controllers: ['name=systemd'] },
  { mount: 'unified', v2: true, controllers: [] },
];
const V2 = [{ mount: 'cg2', v2: true, controllers: ['cpu', 'memory', 'pids', 'io'] }];

describe('cgroups/manager', () => {
  let fake;
  afterEach(() => fake && fake.cleanup());

  describe('hybrid (v1 controllers + cgroup2 without controllers)', () => {
    beforeEach(() => { fake = new FakeCgroupfs(HYBRID); });

    it('plans mkdirs for every hierarchy, parents first, then v1 writes only', () => {
      const dirs = fake.dirs('ts/c1');
      const ops = m.planCgroupCreate(fake.layout('hybrid'), dirs, { memory: { limit: 1 << 20 }, pids: { limit: 10 } }, { reader: undefined });
      const mkdirs = ops.filter((o) => o.op === 'mkdir').map((o) => path.relative(fake.root, o.path));
      expect(mkdirs).to.have.length(18);
      expect(mkdirs.indexOf('memory/ts')).to.be.below(mkdirs.indexOf('memory/ts/c1'));
      expect(mkdirs).to.include('systemd/ts/c1').and.include('unified/ts/c1').and.include('cpu,cpuacct/ts/c1');
      expect(ops.findIndex((o) => o.op === 'write')).to.equal(18);
      const writes = ops.filter((o) => o.op === 'write').map((o) => `${path.relative(fake.root, o.path)}=${o.value}`);
      expect(writes).to.deep.equal([
        'cpuset/ts/cpuset.cpus=0-3', 'cpuset/ts/cpuset.mems=0',
        'cpuset/ts/c1/cpuset.cpus=0-3', 'cpuset/ts/c1/cpuset.mems=0',
        'memory/ts/c1/memory.limit_in_bytes=1048576', 'pids/ts/c1/pids.max=10',
      ]);
      fake.apply(ops);
      expect(fake.read(path.join(fake.root, 'memory/ts/c1/memory.limit_in_bytes'))).to.equal('1048576');
      expect(fake.read(path.join(fake.root, 'cpuset/ts/c1/cpuset.mems'))).to.equal('0');
    });

    it('creates in three batches and keeps existing levels and their cpuset values', () => {
      fake.apply([{ op: 'mkdir', path: path.join(fake.root, 'cpuset/ts') }]);
      fake.write(path.join(fake.root, 'cpuset/ts/cpuset.cpus'), '2');
      fake.write(path.join(fake.root, 'cpuset/ts/cpuset.mems'), '0');
      const batches = [];
      m.createCgroups(fake.layout('hybrid'), fake.dirs('ts/c1'), { memory: { limit: -1 } }, {
        apply: (ops) => { batches.push(ops); fake.apply(ops); },
      });
      expect(batches).to.have.length(3);
      expect(batches[0].every((o) => o.op === 'mkdir')).to.equal(true);
      expect(batches[0].map((o) => path.relative(fake.root, o.path))).not.to.include('cpuset/ts');
      expect(fake.read(path.join(fake.root, 'cpuset/ts/c1/cpuset.cpus'))).to.equal('2');
      expect(batches[1].map((o) => path.relative(fake.root, o.path))).to.deep.equal(['cpuset/ts/c1/cpuset.cpus', 'cpuset/ts/c1/cpuset.mems']);
      expect(batches[2].map((o) => path.basename(o.path))).to.deep.equal(['memory.memsw.limit_in_bytes', 'memory.limit_in_bytes']);
    });

    it('fails when a v1 controller that resources need is not mounted', () => {
      const dirs = fake.dirs('c1');
      dirs.v1 = dirs.v1.filter((d) => !d.controllers.includes('pids'));
      expect(() => m.planCgroupWrites(fake.layout('hybrid'), dirs, { pids: { limit: 1 } })).to.throw(RuntimeError, /pids cgroup controller is not mounted/);
    });

    it('refuses a resource whose controller is not mounted, naming the field (hugetlb, net_cls, rdma)', () => {
      const dirs = fake.dirs('c1');
      expect(() => m.planCgroupWrites(fake.layout('hybrid'), dirs, { hugepageLimits: [{ pageSize: '2MB', limit: 1 }] }))
        .to.throw(ConfigError, 'linux.resources.hugepageLimits[0]: cannot be applied on this host: the hugetlb cgroup controller is not mounted');
      expect(() => m.planCgroupWrites(fake.layout('hybrid'), dirs, { network: { classID: 1 } })).to.throw(ConfigError, /^linux\.resources\.network\.classID: /);
      expect(() => m.planCgroupWrites(fake.layout('hybrid'), dirs, { rdma: { mlx: { hcaHandles: 1 } } })).to.throw(ConfigError, /^linux\.resources\.rdma\.mlx: /);
    });

    it('applies blkio throttling, refuses a weight the kernel has no file for, and leaves no cgroup', () => {
      const dirs = fake.dirs('ts/c1');
      const applied = [];
      const apply = (ops) => { applied.push(...ops); fake.apply(ops); };
      m.createCgroups(fake.layout('hybrid'), dirs, { blockIO: { throttleReadBpsDevice: [{ major: 254, minor: 0, rate: 1000 }] } }, { apply });
      expect(fake.read(path.join(fake.root, 'blkio/ts/c1/blkio.throttle.read_bps_device'))).to.equal('254:0 1000');
      fake.apply(m.planCgroupRemove(dirs));
      expect(() => m.createCgroups(fake.layout('hybrid'), dirs, { blockIO: { weight: 500 } }, { apply }))
        .to.throw(ConfigError, /^linux\.resources\.blockIO\.weight: cannot be applied on this host: blkio\.weight or blkio\.bfq\.weight does not exist/);
      // The caller (runtime/cgroup.ts) removes what was made; the plan is the same as for any create.
      fake.apply(m.planCgroupRemove(dirs));
      expect(fs.existsSync(path.join(fake.root, 'blkio/ts/c1'))).to.equal(false);
    });

    it('uses the fallback file when the first one does not exist (BFQ weight)', () => {
      const dirs = fake.dirs('c1');
      fake.apply(m.planCgroupMkdirs(dirs));
      fake.write(path.join(fake.root, 'blkio/c1/blkio.bfq.weight'), '100');
      const ops = m.planResourceWrites(fake.layout('hybrid'), dirs, { blockIO: { weight: 300 } });
      expect(ops).to.deep.equal([{ op: 'write', path: path.join(fake.root, 'blkio/c1/blkio.bfq.weight'), value: '300' }]);
    });

    it('asks whether a file exists once per plan, however many writes go to it (the device rules)', () => {
      const dirs = fake.dirs('c1');
      fake.apply(m.planCgroupMkdirs(dirs));
      const { fsCgroupReader } = require('../../../dist/cgroups/reader');
      const asked = [];
      const reader = { ...fsCgroupReader, exists: (p) => { asked.push(p); return fsCgroupReader.exists(p); } };
      const devices = [{ allow: false, access: 'rwm' }, ...['1:3', '1:5', '1:7'].map((n) => {
        const [major, minor] = n.split(':').map(Number);
        return { allow: true, type: 'c', major, minor, access: 'rwm' };
      })];
      const ops = m.planResourceWrites(fake.layout('hybrid'), dirs, { devices }, { reader });
      const allows = ops.filter((o) => o.path.endsWith('/devices.allow'));
      expect(allows).to.have.length(3);
      const allowChecks = asked.filter((p) => p.endsWith('/devices.allow'));
      expect(allowChecks).to.have.length(1);
    });

    it('joins every v1 hierarchy; the v2 dir is for CLONE_INTO_CGROUP', () => {
      const dirs = fake.dirs('c1');
      const ops = m.planCgroupJoin(dirs, 1234);
      expect(ops).to.have.length(8);
      expect(ops.every((o) => o.op === 'write' && o.value === '1234' && o.path.endsWith('/cgroup.procs'))).to.equal(true);
      expect(m.v2Dir(dirs)).to.equal(path.join(fake.root, 'unified/c1'));
      expect(m.planCgroupJoin(dirs, 1, { includeV2: true })).to.have.length(9);
      // The helper's own join: one tasks file per v1 hierarchy, none for cgroup2.
      expect(m.selfJoinFiles(dirs).map((f) => path.relative(fake.root, f))).to.deep.equal(
        dirs.v1.map((d) => path.join(path.relative(fake.root, d.path), 'tasks')));
      expect(m.selfJoinFiles(dirs)).to.have.length(8);
    });

    it('removes sub-cgroups before the container cgroup, deepest first', () => {
      const dirs = fake.dirs('ts/c1');
      fake.apply(m.planCgroupMkdirs(dirs));
      fake.apply([{ op: 'mkdir', path: path.join(fake.root, 'memory/ts/c1/inner') }, { op: 'mkdir', path: path.join(fake.root, 'memory/ts/c1/inner/deeper') }]);
      const ops = m.planCgroupRemove(dirs);
      expect(ops.every((o) => o.op === 'rmdir')).to.equal(true);
      expect(ops[0].path).to.equal(path.join(fake.root, 'memory/ts/c1/inner/deeper'));
      expect(ops).to.have.length(11);
      fake.apply(ops);
      expect(fs.existsSync(path.join(fake.root, 'memory/ts/c1'))).to.equal(false);
      expect(fs.existsSync(path.join(fake.root, 'memory/ts'))).to.equal(true);
      expect(m.planCgroupRemove(dirs)).to.deep.equal([]);
    });

    it('lists pids across hierarchies and sub-cgroups, tolerating missing cgroups', () => {
      const dirs = fake.dirs('c1');
      expect(m.cgroupPids(dirs)).to.deep.equal([]);
      fake.apply(m.planCgroupMkdirs(dirs));
      fake.apply([{ op: 'mkdir', path: path.join(fake.root, 'pids/c1/sub') }]);
      fake.write(path.join(fake.root, 'memory/c1/cgroup.procs'), '30\n4\n');
      fake.write(path.join(fake.root, 'unified/c1/cgroup.procs'), '4\n30\n');
      fake.write(path.join(fake.root, 'pids/c1/sub/cgroup.procs'), '7\n');
      expect(m.cgroupPids(dirs)).to.deep.equal([4, 7, 30]);
    });

    it("refuses a populated or frozen cgroup with runc's messages", () => {
      const dirs = fake.dirs('c1');
      m.refuseIfPopulated(dirs);
      fake.apply(m.planCgroupMkdirs(dirs));
      m.refuseIfPopulated(dirs);
      fake.write(path.join(fake.root, 'freezer/c1/freezer.state'), 'FROZEN\n');
      expect(() => m.refuseIfPopulated(dirs)).to.throw(RuntimeError, "container's cgroup unexpectedly frozen");
      fake.write(path.join(fake.root, 'pids/c1/cgroup.procs'), '5\n6\n');
      expect(() => m.refuseIfPopulated(dirs)).to.throw(RuntimeError, "container's cgroup is not empty: 2 process(es) found");
    });
  });

  describe('pure v2', () => {
    beforeEach(() => { fake = new FakeCgroupfs(V2); });

    it('enables only the needed controllers down the tree, then writes', () => {
      const dirs = fake.dirs('a/b/c1');
      const batches = [];
      m.createCgroups(fake.layout('v2'), dirs, { memory: { limit: 1 << 20, swap: 1 << 20 }, pids: { limit: 3 } }, {
        apply: (ops) => { batches.push(ops); fake.apply(ops); },
      });
      expect(batches).to.have.length(3);
      const writes = [...batches[1], ...batches[2]].map((o) => `${path.relative(fake.root, o.path)}=${o.value}`);
      expect(writes).to.deep.equal([
        'cg2/cgroup.subtree_control=+memory +pids',
        'cg2/a/cgroup.subtree_control=+memory +pids',
        'cg2/a/b/cgroup.subtree_control=+memory +pids',
        'cg2/a/b/c1/memory.swap.max=0',
        'cg2/a/b/c1/memory.max=1048576',
        'cg2/a/b/c1/pids.max=3',
      ]);
      expect(fake.read(path.join(fake.root, 'cg2/a/b/c1/pids.max'))).to.equal('3');
    });

    it('plans in one batch for cgroups that do not exist yet', () => {
      const ops = m.planCgroupCreate(fake.layout('v2'), fake.dirs('c1'), { memory: { limit: -1 }, cpu: { shares: 1024 } });
      expect(ops.map((o) => `${o.op} ${path.relative(fake.root, o.path)} ${o.value ?? ''}`.trim())).to.deep.equal([
        'mkdir cg2/c1',
        'write cg2/cgroup.subtree_control +memory +cpu',
        // memory.swap.max=max is the fresh-cgroup default: dropped when the cgroup is new.
        'write cg2/c1/memory.max max',
        'write cg2/c1/cpu.weight 100',
      ]);
      fake.apply(ops);
    });

    it('drops an optional write whose file does not exist (swap accounting off)', () => {
      const dirs = fake.dirs('c1');
      fake.apply(m.planCgroupMkdirs(dirs));
      fake.apply([{ op: 'write', path: path.join(fake.root, 'cg2/cgroup.subtree_control'), value: '+memory' }]);
      const ops = m.planCgroupWrites(fake.layout('v2'), dirs, { memory: { limit: 100, swap: 100 } });
      expect(ops.map((o) => path.basename(o.path))).to.deep.equal(['memory.swap.max', 'memory.max']);
      fs.rmSync(path.join(fake.root, 'cg2/c1/memory.swap.max'));
      const ops2 = m.planCgroupWrites(fake.layout('v2'), dirs, { memory: { limit: 100, swap: 100 } });
      expect(ops2.map((o) => path.basename(o.path))).to.deep.equal(['memory.max']);
    });

    it('refuses a resource whose v2 controller is not available, naming the field', () => {
      expect(() => m.planCgroupCreate(fake.layout('v2'), fake.dirs('c1'), { hugepageLimits: [{ pageSize: '2MB', limit: 1 }] }))
        .to.throw(ConfigError, 'linux.resources.hugepageLimits[0]: cannot be applied on this host: cgroup controller "hugetlb" is not available');
    });

    it('applies io throttling and falls back from io.bfq.weight to io.weight', () => {
      const dirs = fake.dirs('c1');
      m.createCgroups(fake.layout('v2'), dirs, { blockIO: { weight: 1000, throttleWriteBpsDevice: [{ major: 8, minor: 0, rate: 5 }] } }, { apply: (ops) => fake.apply(ops) });
      expect(fake.read(path.join(fake.root, 'cg2/c1/io.weight'))).to.equal('10000');
      expect(fake.read(path.join(fake.root, 'cg2/c1/io.max'))).to.equal('8:0 wbps=5');
    });

    it('fails when a needed controller is not available', () => {
      expect(() => m.planCgroupCreate(fake.layout('v2'), fake.dirs('c1'), { hugepageLimits: [], cpu: { cpus: '0' } })).to.throw(RuntimeError, /"cpuset" is not available/);
    });

    it('refuses, before any write, to enable controllers in a cgroup below the root that holds processes', () => {
      const dirs = fake.dirs('runner/c1');
      fake.apply([{ op: 'mkdir', path: path.join(fake.root, 'cg2/runner') }]);
      fake.write(path.join(fake.root, 'cg2/runner/cgroup.procs'), '42\n');
      expect(() => m.planCgroupPrepare(fake.layout('v2'), dirs, { pids: { limit: 3 } })).to.throw(
        RuntimeError,
        `cannot enable the cgroup controllers pids in ${path.join(fake.root, 'cg2/runner')}: it holds processes`,
      );
      // The root may hold processes; a populated level that already enables the controller is not written.
      fake.write(path.join(fake.root, 'cg2/cgroup.procs'), '1\n');
      fake.write(path.join(fake.root, 'cg2/runner/cgroup.subtree_control'), 'pids');
      const ops = m.planCgroupPrepare(fake.layout('v2'), dirs, { pids: { limit: 3 } });
      expect(ops.map((o) => `${path.relative(fake.root, o.path)}=${o.value}`)).to.deep.equal(['cg2/cgroup.subtree_control=+pids']);
    });

    it('writes nothing but mkdir without resources (no subtree_control writes)', () => {
      expect(m.planCgroupCreate(fake.layout('v2'), fake.dirs('x/c1'), undefined).map((o) => o.op)).to.deep.equal(['mkdir', 'mkdir']);
      expect(m.planCgroupJoin(fake.dirs('c1'), 5)).to.deep.equal([]);
    });
  });
});
