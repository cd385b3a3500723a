'use strict';
// The manager interface on each layout against the fake cgroupfs: which
// hierarchy each operation touches, the freezer protocol, stats names.
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { FakeCgroupfs } = require('./fake-cgroupfs');
const { openCgroupManager } = require('../../../dist/cgroups/open-manager');
const { statsJson } = require('../../../dist/cgroups/stats');

const V1 = [
  { mount: 'memory', controllers: ['memory'] },
  { mount: 'pids', controllers: ['pids'] },
  { mount: 'cpu,cpuacct', controllers: ['cpu', 'cpuacct'] },
  { mount: 'freezer', controllers: ['freezer'] },
];
const HYBRID = [...V1, { mount: 'unified', v2: true, controllers: [] }];
const V2 = [{ mount: 'cg2', v2: true, controllers: ['cpu', 'memory', 'pids'] }];
const noSleep = async () => {};

describe('cgroups/fs-managers', () => {
  let fake;
  afterEach(() => fake && fake.cleanup());

  /** A manager over the fake; v2 freezes "take" when cgroup.freeze is written, as the kernel reports in cgroup.events. */
  function manager(hierarchies, log = []) {
    fake = new FakeCgroupfs(hierarchies);
    const apply = (ops) => {
      fake.apply(ops);
      for (const op of ops) {
        if (op.op === 'write') log.push(`${path.relative(fake.root, op.path)}=${op.value}`);
        if (op.op === 'write' && path.basename(op.path) === 'cgroup.freeze') {
          fs.writeFileSync(path.join(path.dirname(op.path), 'cgroup.events'), `populated 1\nfrozen ${op.value}\n`);
        }
      }
    };
    return openCgroupManager(fake.dirs('c1'), { apply, sleep: noSleep, kill: () => {} });
  }

  it('picks the implementation from the directories', () => {
    expect(manager(V1).kind).to.equal('v1');
    fake.cleanup();
    expect(manager(V2).kind).to.equal('v2');
    fake.cleanup();
    expect(manager(HYBRID).kind).to.equal('hybrid');
  });

  it('hybrid: resources and the freezer on v1, the cgroup2 directory made and cloned into', async () => {
    const log = [];
    const m = manager(HYBRID, log);
    m.create({ memory: { limit: 1048576 }, pids: { limit: 10 } });
    expect(fs.existsSync(path.join(fake.root, 'unified/c1'))).to.equal(true);
    expect(log).to.include.members(['memory/c1/memory.limit_in_bytes=1048576', 'pids/c1/pids.max=10']);
    expect(m.cloneIntoDir()).to.equal(path.join(fake.root, 'unified/c1'));
    await m.freeze();
    expect(log).to.include('freezer/c1/freezer.state=FROZEN');
    expect(m.isFrozen()).to.equal(true);
    await m.thaw();
    expect(m.isFrozen()).to.equal(false);
  });

  it('v2: freeze waits for cgroup.events to say frozen 1; update writes only the sections given', async () => {
    const log = [];
    const m = manager(V2, log);
    m.create({ memory: { limit: 1048576 } });
    log.length = 0;
    m.update({ cpu: { quota: 50000, period: 100000 } });
    expect(log).to.deep.equal(['cg2/cgroup.subtree_control=+cpu', 'cg2/c1/cpu.max=50000 100000']);
    await m.freeze();
    expect(fake.read(path.join(fake.root, 'cg2/c1/cgroup.freeze'))).to.equal('1');
    expect(m.isFrozen()).to.equal(true);
    await m.thaw();
    expect(m.isFrozen()).to.equal(false);
  });

  it('v2: a freeze that never takes is undone and reported', async () => {
    fake = new FakeCgroupfs(V2);
    let slept = 0;
    const m = openCgroupManager(fake.dirs('c1'), { apply: (ops) => fake.apply(ops), sleep: async (ms) => { slept += ms; } });
    m.create(undefined);
    let error;
    try { await m.freeze(); } catch (e) { error = e; }
    expect(error.message).to.match(/unable to freeze/);
    expect(fake.read(path.join(fake.root, 'cg2/c1/cgroup.freeze'))).to.equal('0');
    expect(slept).to.be.greaterThan(1000);
  });

  it('v1: update orders memory and swap by the current limit', () => {
    const log = [];
    const m = manager(V1, log);
    m.create({ memory: { limit: 100, swap: 200 } });
    log.length = 0;
    m.update({ memory: { limit: 300, swap: 400 } });
    expect(log).to.deep.equal(['memory/c1/memory.memsw.limit_in_bytes=400', 'memory/c1/memory.limit_in_bytes=300']);
    log.length = 0;
    m.update({ memory: { limit: 50, swap: 60 } });
    expect(log).to.deep.equal(['memory/c1/memory.limit_in_bytes=50', 'memory/c1/memory.memsw.limit_in_bytes=60']);
  });

  it('reads v1 stats under runc names', () => {
    const m = manager(V1);
    m.create(undefined);
    const dir = (c) => path.join(fake.root, c, 'c1');
    fake.write(path.join(dir('memory'), 'memory.usage_in_bytes'), '4096\n');
    fake.write(path.join(dir('memory'), 'memory.stat'), 'cache 100\nrss 200\n');
    fake.write(path.join(dir('pids'), 'pids.current'), '3\n');
    fake.write(path.join(dir('cpu,cpuacct'), 'cpuacct.usage'), '12345\n');
    fake.write(path.join(dir('cpu,cpuacct'), 'cpuacct.stat'), 'user 2\nsystem 1\n');
    const s = m.stats();
    expect(s.memory.usage.usage).to.equal(4096n);
    expect(s.memory.usage.limit).to.equal(9223372036854771712n);
    expect(s.memory.cache).to.equal(100n);
    expect(s.pids).to.deep.equal({ current: 3n, limit: 0n });
    expect(s.cpu.usage).to.include({ total: 12345n, user: 20000000n, kernel: 10000000n });
    expect(statsJson({ limit: 18446744073709551615n })).to.equal('{"limit":18446744073709551615}');
  });

  it('reads v2 stats: "max" is 2^64-1, usage and failcnt from memory.current and memory.events', () => {
    const m = manager(V2);
    m.create({ memory: { limit: 1048576 }, pids: { limit: 5 } });
    const d = path.join(fake.root, 'cg2/c1');
    fake.write(path.join(d, 'memory.current'), '2048\n');
    fake.write(path.join(d, 'memory.events'), 'low 0\nhigh 0\nmax 7\noom 1\noom_kill 2\n');
    fake.write(path.join(d, 'pids.current'), '1\n');
    fake.write(path.join(d, 'cpu.stat'), 'usage_usec 10\nuser_usec 6\nsystem_usec 4\nnr_periods 3\nnr_throttled 1\nthrottled_usec 5\n');
    const s = m.stats();
    expect(s.memory.usage).to.deep.equal({ limit: 1048576n, usage: 2048n, failcnt: 7n });
    expect(s.pids).to.deep.equal({ current: 1n, limit: 5n });
    expect(s.cpu.usage).to.deep.equal({ total: 10000n, kernel: 4000n, user: 6000n });
    expect(s.cpu.throttling).to.deep.equal({ periods: 3n, throttled_periods: 1n, throttled_time: 5000n });
    expect(m.oomKills()).to.equal(2);
  });

  it('v1 OOM kills come from memory.oom_control', () => {
    const m = manager(V1);
    m.create(undefined);
    fake.write(path.join(fake.root, 'memory/c1/memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 4\n');
    expect(m.oomKills()).to.equal(4);
  });

  it('destroy kills with cgroup.kill, thaws a v1 freezer and removes every directory', async () => {
    const log = [];
    const m = manager(HYBRID, log);
    m.create(undefined);
    fake.write(path.join(fake.root, 'unified/c1/cgroup.procs'), '42\n');
    fake.write(path.join(fake.root, 'freezer/c1/freezer.state'), 'FROZEN');
    const origApply = m.deps.apply;
    m.deps.apply = (ops) => {
      origApply(ops);
      if (ops.some((o) => o.path.endsWith('cgroup.kill'))) fake.write(path.join(fake.root, 'unified/c1/cgroup.procs'), '');
    };
    await m.destroy();
    expect(log).to.include.ordered.members(['unified/c1/cgroup.kill=1', 'freezer/c1/freezer.state=THAWED']);
    for (const h of HYBRID) expect(fs.existsSync(path.join(fake.root, h.mount, 'c1'))).to.equal(false);
  });
});

describe('cgroups: values impossible for the host', () => {
  const { ConfigError } = require('../../../dist/errors');
  const { unifiedWrites } = require('../../../dist/cgroups/controllers/unified');
  const { parseIdList } = require('../../../dist/cgroups/host-checks');
  let fake;
  afterEach(() => fake && fake.cleanup());

  it('refuses a cpuset outside the host cpus or mems before any directory is made, naming the field', () => {
    fake = new FakeCgroupfs([{ mount: 'cpuset', controllers: ['cpuset'] }]);
    const m = openCgroupManager(fake.dirs('c1'), { apply: (ops) => fake.apply(ops), sleep: noSleep });
    let error;
    try { m.create({ cpu: { cpus: '2-5' } }); } catch (e) { error = e; }
    expect(error).to.be.instanceOf(ConfigError);
    expect(error.message).to.equal('linux.resources.cpu.cpus: cpu 4,5 is not available on this host');
    expect(fs.existsSync(path.join(fake.root, 'cpuset/c1'))).to.equal(false);
    try { m.create({ cpu: { mems: '1' } }); } catch (e) { error = e; }
    expect(error.message).to.equal('linux.resources.cpu.mems: memory node 1 is not available on this host');
    try { m.create({ cpu: { cpus: '1-x' } }); } catch (e) { error = e; }
    expect(error.message).to.match(/^linux.resources.cpu.cpus: invalid list/);
    m.create({ cpu: { cpus: '1-2', mems: '0' } });
    expect(fake.read(path.join(fake.root, 'cpuset/c1/cpuset.cpus'))).to.equal('1-2');
    expect([...parseIdList('0-2,7')]).to.deep.equal([0, 1, 2, 7]);
  });

  it('refuses a unified key of an unknown controller, naming it', () => {
    expect(() => unifiedWrites({ 'foo.max': '1' })).to.throw(ConfigError, 'linux.resources.unified.foo.max: unknown cgroup v2 controller "foo"');
    expect(unifiedWrites({ 'memory.high': '1' })).to.deep.equal([{ file: 'memory.high', value: '1', field: 'linux.resources.unified.memory.high' }]);
  });
});

describe('cgroups: cgroup2 rules', () => {
  let fake;
  afterEach(() => fake && fake.cleanup());

  it('refuses to enable controllers in a populated parent (no internal processes)', () => {
    fake = new FakeCgroupfs(V2);
    const apply = (ops) => fake.apply(ops);
    fake.apply([{ op: 'mkdir', path: path.join(fake.root, 'cg2/runner') }]);
    fs.writeFileSync(path.join(fake.root, 'cg2/runner/cgroup.procs'), '77\n');
    const m = openCgroupManager(fake.dirs('runner/c1'), { apply, sleep: noSleep });
    expect(() => m.create({ pids: { limit: 5 } })).to.throw(/^cannot enable the cgroup controllers pids in .*\/cg2\/runner: it holds processes/);
    // Without controllers to enable (no resources) the container cgroup may go there.
    m.create(undefined);
    expect(fs.existsSync(path.join(fake.root, 'cg2/runner/c1'))).to.equal(true);
  });
});
