'use strict';
const { expect } = require('chai');
const { v1ResourceWrites, v2ResourceWrites, CONTROLLER_TABLE } = require('../../../dist/cgroups/resources');
const { memorySwapToV2, memoryV1 } = require('../../../dist/cgroups/controllers/memory');
const { cpuSharesToWeight } = require('../../../dist/cgroups/controllers/cpu');
const { deviceRuleLine } = require('../../../dist/cgroups/controllers/devices');
const { ConfigError } = require('../../../dist/errors');

const v1 = (r, ctx) => Object.fromEntries(v1ResourceWrites(r, ctx));
const files = (writes) => writes.map((w) => `${w.file}=${w.value}`);

describe('cgroups/resources', () => {
  describe('memory', () => {
    it('v1: limit then memsw on a fresh cgroup, reservation, swappiness, oom', () => {
      const r = v1({ memory: { limit: 1 << 20, swap: 2 << 20, reservation: 1 << 19, swappiness: 10, disableOOMKiller: true } });
      expect(files(r.memory)).to.deep.equal([
        'memory.limit_in_bytes=1048576',
        'memory.memsw.limit_in_bytes=2097152',
        'memory.soft_limit_in_bytes=524288',
        'memory.swappiness=10',
        'memory.oom_control=1',
      ]);
    });

    it('v1: memsw first when raising above the current limit or to unlimited', () => {
      expect(files(memoryV1({ limit: 4 << 20, swap: 8 << 20 }, 1 << 20))).to.deep.equal([
        'memory.memsw.limit_in_bytes=8388608', 'memory.limit_in_bytes=4194304',
      ]);
      expect(files(memoryV1({ limit: 4 << 20, swap: -1 }, 1 << 20))).to.deep.equal([
        'memory.memsw.limit_in_bytes=-1', 'memory.limit_in_bytes=4194304',
      ]);
      expect(files(memoryV1({ limit: 1 << 20, swap: 2 << 20 }, 8 << 20))).to.deep.equal([
        'memory.limit_in_bytes=1048576', 'memory.memsw.limit_in_bytes=2097152',
      ]);
    });

    it('v1: unlimited memory without swap also unlimits swap, where swap accounting exists', () => {
      const w = memoryV1({ limit: -1 });
      expect(w[0]).to.deep.equal({ file: 'memory.memsw.limit_in_bytes', value: '-1', optional: true });
      expect(w[1]).to.deep.equal({ file: 'memory.limit_in_bytes', value: '-1' });
    });

    it('v1: rejects swap below the limit and bad swappiness', () => {
      expect(() => memoryV1({ limit: 2 << 20, swap: 1 << 20 })).to.throw(ConfigError, 'memory+swap limit should be >= memory limit');
      expect(() => memoryV1({ swappiness: 101 })).to.throw(ConfigError, /swappiness/);
    });

    it('v2: swap.max = swap - limit, -1 → max, reservation → memory.low', () => {
      expect(files(v2ResourceWrites({ memory: { limit: 1 << 20, swap: 3 << 20, reservation: 1024 } }))).to.deep.equal([
        'memory.swap.max=2097152', 'memory.max=1048576', 'memory.low=1024',
      ]);
      expect(files(v2ResourceWrites({ memory: { limit: -1 } }))).to.deep.equal(['memory.swap.max=max', 'memory.max=max']);
      const same = v2ResourceWrites({ memory: { limit: 1 << 20, swap: 1 << 20 } });
      expect(same[0]).to.deep.equal({ file: 'memory.swap.max', value: '0', optional: true });
      expect(v2ResourceWrites({ memory: {} })).to.deep.equal([]);
    });

    it("v2: runc's swap conversion rules", () => {
      expect(memorySwapToV2(0, -1)).to.equal(-1);
      expect(memorySwapToV2(-1, 100)).to.equal(-1);
      expect(memorySwapToV2(0, 100)).to.equal(0);
      expect(memorySwapToV2(300, 100)).to.equal(200);
      expect(() => memorySwapToV2(300, 0)).to.throw(ConfigError, 'unable to set swap limit without memory limit');
      expect(() => memorySwapToV2(50, 100)).to.throw(ConfigError, 'memory+swap limit should be >= memory limit');
    });

    it('writes int64 values without exponent notation', () => {
      const w = memoryV1({ limit: 1e21 });
      expect(w[0].value).to.equal('1000000000000000000000');
    });
  });

  describe('pids', () => {
    it('negative → max, 0 is a real limit (spec 1.3), absent writes nothing', () => {
      expect(v1({ pids: { limit: 100 } }).pids).to.deep.equal([{ file: 'pids.max', value: '100' }]);
      expect(files(v2ResourceWrites({ pids: { limit: -1 } }))).to.deep.equal(['pids.max=max']);
      expect(files(v2ResourceWrites({ pids: { limit: 0 } }))).to.deep.equal(['pids.max=0']);
      expect(v1({ pids: {} })).to.deep.equal({});
    });
  });

  describe('cpu and cpuset', () => {
    it('v1: rt period/runtime, shares, cfs period before quota, cpuset cpus before mems', () => {
      const r = v1({ cpu: { shares: 512, quota: 50000, period: 100000, realtimePeriod: 1000000, realtimeRuntime: 950000, cpus: '0-1', mems: '0', idle: 0 } });
      expect(files(r.cpu)).to.deep.equal([
        'cpu.rt_period_us=1000000', 'cpu.rt_runtime_us=950000', 'cpu.shares=512',
        'cpu.cfs_period_us=100000', 'cpu.cfs_quota_us=50000', 'cpu.idle=0',
      ]);
      expect(files(r.cpuset)).to.deep.equal(['cpuset.cpus=0-1', 'cpuset.mems=0']);
    });

    it('v1: a period whose partner follows is retried after it on EINVAL (runc\'s order on update)', () => {
      const retriedFiles = (cpu) => v1({ cpu }).cpu.filter((w) => w.retryAfterNext).map((w) => w.file);
      expect(retriedFiles({ period: 50000, quota: 25000, realtimePeriod: 40000, realtimeRuntime: 20000 })).to.deep.equal(['cpu.rt_period_us', 'cpu.cfs_period_us']);
      // Alone, a period has nothing to wait for: its EINVAL is the error.
      expect(retriedFiles({ period: 50000, realtimePeriod: 40000 })).to.deep.equal([]);
    });

    it('v2: weight from shares, cpu.max "quota period", max when no quota, burst after', () => {
      expect(files(v2ResourceWrites({ cpu: { shares: 1024, quota: 50000, period: 100000, burst: 1000 } }))).to.deep.equal([
        'cpu.weight=100', 'cpu.max=50000 100000', 'cpu.max.burst=1000',
      ]);
      expect(files(v2ResourceWrites({ cpu: { period: 200000 } }))).to.deep.equal(['cpu.max=max 200000']);
      expect(files(v2ResourceWrites({ cpu: { quota: -1 } }))).to.deep.equal(['cpu.max=max']);
      expect(() => v2ResourceWrites({ cpu: { realtimeRuntime: 1 } })).to.throw(ConfigError, /realtime/);
    });

    it('maps shares to weight like runc >= 1.3', () => {
      expect(cpuSharesToWeight(0)).to.equal(0);
      expect(cpuSharesToWeight(2)).to.equal(1);
      expect(cpuSharesToWeight(1024)).to.equal(100);
      expect(cpuSharesToWeight(262144)).to.equal(10000);
      expect(cpuSharesToWeight(512)).to.be.within(40, 60);
    });
  });

  describe('devices (v1)', () => {
    it('writes each rule to allow or deny in order', () => {
      const r = v1({ devices: [
        { allow: false, access: 'rwm' },
        { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
        { allow: true, type: 'c', major: 136, access: 'rw' },
        { allow: false, type: 'b', major: -1, minor: -1 },
      ] });
      expect(files(r.devices)).to.deep.equal([
        'devices.deny=a *:* rwm', 'devices.allow=c 1:3 rwm', 'devices.allow=c 136:* rw', 'devices.deny=b *:* rwm',
      ]);
      expect(() => deviceRuleLine({ allow: true, type: 'x' })).to.throw(ConfigError);
      expect(() => deviceRuleLine({ allow: true, access: 'rwx' })).to.throw(ConfigError);
    });
  });

  describe('unified', () => {
    it('is written last on v2, refused on v1, and validated', () => {
      const w = v2ResourceWrites({ pids: { limit: 5 }, unified: { 'pids.max': '7', 'memory.high': '100' } });
      expect(files(w)).to.deep.equal(['pids.max=5', 'pids.max=7', 'memory.high=100']);
      expect(() => v1ResourceWrites({ unified: { 'memory.high': '1' } })).to.throw(ConfigError, 'cannot use unified on cgroup v1');
      for (const bad of ['cgroup.procs', '../x', 'a/b', 'memory', 'x..y']) {
        expect(() => v2ResourceWrites({ unified: { [bad]: '1' } }), bad).to.throw(ConfigError, /invalid unified resource/);
      }
    });
  });

  describe('blockIO', () => {
    const blockIO = {
      weight: 500, weightDevice: [{ major: 8, minor: 0, weight: 600 }],
      throttleReadBpsDevice: [{ major: 8, minor: 0, rate: 100 }], throttleWriteIOPSDevice: [{ major: 8, minor: 16, rate: 7 }],
    };

    it('v1: weight with its BFQ fallback, then the throttle files, each naming its field', () => {
      const w = v1({ blockIO }).blkio;
      expect(w[0]).to.deep.equal({ file: 'blkio.weight', value: '500', field: 'linux.resources.blockIO.weight',
        fallback: { file: 'blkio.bfq.weight', value: '500' } });
      expect(files(w)).to.deep.equal(['blkio.weight=500', 'blkio.weight_device=8:0 600',
        'blkio.throttle.read_bps_device=8:0 100', 'blkio.throttle.write_iops_device=8:16 7']);
      expect(w[3].field).to.equal('linux.resources.blockIO.throttleWriteIOPSDevice[0]');
    });

    it('v2: io.bfq.weight (raw) else io.weight (converted), io.max; leaf weights refused', () => {
      const w = v2ResourceWrites({ blockIO });
      expect(w[0]).to.deep.include({ file: 'io.bfq.weight', value: '500', fallback: { file: 'io.weight', value: '4950' } });
      expect(files(w).slice(2)).to.deep.equal(['io.max=8:0 rbps=100', 'io.max=8:16 wiops=7']);
      expect(() => v2ResourceWrites({ blockIO: { leafWeight: 10 } })).to.throw(ConfigError, 'linux.resources.blockIO.leafWeight: leaf weights do not exist on cgroup v2');
    });
  });

  describe('hugetlb, network, rdma', () => {
    it('hugetlb: one file per page size, v1 and v2 names', () => {
      const r = { hugepageLimits: [{ pageSize: '2MB', limit: 4194304 }, { pageSize: '1GB', limit: 0 }] };
      expect(files(v1(r).hugetlb)).to.deep.equal(['hugetlb.2MB.limit_in_bytes=4194304', 'hugetlb.1GB.limit_in_bytes=0']);
      expect(files(v2ResourceWrites(r))).to.deep.equal(['hugetlb.2MB.max=4194304', 'hugetlb.1GB.max=0']);
      expect(v1(r).hugetlb[1].field).to.equal('linux.resources.hugepageLimits[1]');
    });

    it('network: net_cls and net_prio on v1, refused on v2', () => {
      const r = { network: { classID: 1048577, priorities: [{ name: 'eth0', priority: 5 }] } };
      expect(files(v1(r).net_cls)).to.deep.equal(['net_cls.classid=1048577']);
      expect(files(v1(r).net_prio)).to.deep.equal(['net_prio.ifpriomap=eth0 5']);
      expect(() => v2ResourceWrites(r)).to.throw(ConfigError, 'linux.resources.network: net_cls and net_prio do not exist on cgroup v2');
      expect(() => v1({ network: { priorities: [{ name: 'a b', priority: 1 }] } })).to.throw(ConfigError, /invalid interface name/);
    });

    it('rdma: one rdma.max line per device, on both versions', () => {
      const r = { rdma: { mlx5_1: { hcaHandles: 3, hcaObjects: 10000 }, mlx5_2: { hcaObjects: 1 } } };
      expect(files(v1(r).rdma)).to.deep.equal(['rdma.max=mlx5_1 hca_handle=3 hca_object=10000', 'rdma.max=mlx5_2 hca_object=1']);
      expect(files(v2ResourceWrites(r))).to.deep.equal(files(v1(r).rdma));
    });
  });

  describe('settings with no file to write', () => {
    it('refuses kernel memory, v2 kernelTCP and useHierarchy false; v1 kernelTCP is applied', () => {
      expect(() => v1({ memory: { kernel: 1 << 20 } })).to.throw(ConfigError, 'linux.resources.memory.kernel:');
      expect(() => v2ResourceWrites({ memory: { kernelTCP: 1 << 20 } })).to.throw(ConfigError, 'linux.resources.memory.kernelTCP:');
      expect(() => v2ResourceWrites({ memory: { useHierarchy: false } })).to.throw(ConfigError, 'linux.resources.memory.useHierarchy:');
      expect(files(v1({ memory: { kernelTCP: 4096, useHierarchy: true } }).memory)).to.deep.equal(['memory.kmem.tcp.limit_in_bytes=4096']);
    });

    it('refuses swappiness and disableOOMKiller on v2, which has neither file (crun\'s refusal; runc drops them)', () => {
      expect(() => v2ResourceWrites({ memory: { limit: 1 << 20, swappiness: 0 } }))
        .to.throw(ConfigError, 'linux.resources.memory.swappiness: cannot set memory swappiness with cgroup v2');
      expect(() => v2ResourceWrites({ memory: { disableOOMKiller: true } }))
        .to.throw(ConfigError, 'linux.resources.memory.disableOOMKiller: cannot disable the OOM killer with cgroup v2');
      expect(files(v2ResourceWrites({ memory: { limit: 1 << 20, disableOOMKiller: false } }))).to.deep.equal(['memory.max=1048576']);
    });
  });

  it('keeps the table in write order: every resource section has a translation or a refusal', () => {
    expect(CONTROLLER_TABLE.map((t) => t.controller)).to.deep.equal(
      ['cpuset', 'devices', 'memory', 'cpu', 'blkio', 'hugetlb', 'net_prio', 'net_cls', 'pids', 'rdma']);
    expect(v1(undefined)).to.deep.equal({});
    expect(v2ResourceWrites(undefined)).to.deep.equal([]);
  });
});
