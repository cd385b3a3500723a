'use strict';
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { FakeCgroupfs } = require('./fake-cgroupfs');
const { killAll } = require('../../../dist/cgroups/kill');

const noSleep = async () => {};

describe('cgroups/kill', () => {
  let fake;
  afterEach(() => fake && fake.cleanup());

  function setUp(hierarchies) {
    fake = new FakeCgroupfs(hierarchies);
    const dirs = fake.dirs('c1');
    for (const d of [...dirs.v1, ...(dirs.v2 ? [dirs.v2] : [])]) fake.apply([{ op: 'mkdir', path: d.path }]);
    return dirs;
  }
  const procs = (dirs) => [...dirs.v1, ...(dirs.v2 ? [dirs.v2] : [])].map((d) => path.join(d.path, 'cgroup.procs'));
  const populate = (dirs, pids) => procs(dirs).forEach((f) => fs.writeFileSync(f, pids.map((p) => `${p}\n`).join('')));

  it('uses cgroup.kill for SIGKILL when the kernel has it', async () => {
    const dirs = setUp([{ mount: 'pids', controllers: ['pids'] }, { mount: 'unified', v2: true, controllers: [] }]);
    populate(dirs, [10, 11]);
    const log = [];
    await killAll(dirs, 9, {
      apply: (ops) => { log.push(...ops.map((o) => `${path.relative(fake.root, o.path)}=${o.value}`)); populate(dirs, []); },
      kill: (pid) => log.push(`kill ${pid}`),
      sleep: noSleep,
    });
    expect(log).to.deep.equal(['unified/c1/cgroup.kill=1']);
  });

  it('freezes, signals every pid, then thaws on v1 (no cgroup.kill)', async () => {
    const dirs = setUp([{ mount: 'pids', controllers: ['pids'] }, { mount: 'freezer', controllers: ['freezer'] }]);
    populate(dirs, [10, 11]);
    const log = [];
    await killAll(dirs, 9, {
      apply: (ops) => { fake.apply(ops); log.push(...ops.map((o) => `${path.basename(o.path)}=${o.value}`)); },
      kill: (pid, sig) => { log.push(`kill ${pid} ${sig}`); if (pid === 11) populate(dirs, []); },
      sleep: noSleep,
    });
    expect(log).to.deep.equal(['freezer.state=FROZEN', 'kill 10 9', 'kill 11 9', 'freezer.state=THAWED']);
  });

  it('signals other signals once, even if the processes stay', async () => {
    const dirs = setUp([{ mount: 'pids', controllers: ['pids'] }, { mount: 'unified', v2: true, controllers: [] }]);
    populate(dirs, [5]);
    const log = [];
    await killAll(dirs, 15, {
      apply: (ops) => { fake.apply(ops); log.push(...ops.map((o) => `${path.basename(o.path)}=${o.value}`)); },
      kill: (pid, sig) => log.push(`kill ${pid} ${sig}`),
      sleep: noSleep,
    });
    // No v1 freezer here: the cgroup2 freezer is used.
    expect(log).to.deep.equal(['cgroup.freeze=1', 'kill 5 15', 'cgroup.freeze=0']);
  });

  it('gives up after a bounded number of rounds and always thaws', async () => {
    const dirs = setUp([{ mount: 'freezer', controllers: ['freezer'] }]);
    populate(dirs, [7]);
    let kills = 0;
    let sleeps = 0;
    await killAll(dirs, 9, {
      apply: (ops) => fake.apply(ops),
      kill: () => { kills++; },
      sleep: async () => { sleeps++; },
      maxRounds: 4,
    });
    expect(kills).to.equal(4);
    expect(sleeps).to.equal(4);
    expect(fake.read(path.join(dirs.v1[0].path, 'freezer.state'))).to.equal('THAWED');
  });

  it('thaws even when signalling throws', async () => {
    const dirs = setUp([{ mount: 'freezer', controllers: ['freezer'] }]);
    populate(dirs, [7]);
    let err;
    try {
      await killAll(dirs, 15, { apply: (ops) => fake.apply(ops), kill: () => { throw new Error('EPERM'); }, sleep: noSleep });
    } catch (e) { err = e; }
    expect(err.message).to.equal('EPERM');
    expect(fake.read(path.join(dirs.v1[0].path, 'freezer.state'))).to.equal('THAWED');
  });

  it('returns at once when the cgroups are already empty or gone', async () => {
    const dirs = setUp([{ mount: 'unified', v2: true, controllers: [] }]);
    const log = [];
    await killAll(dirs, 9, { apply: (ops) => log.push(ops), kill: () => log.push('kill'), sleep: noSleep });
    fake.apply([{ op: 'rmdir', path: dirs.v2.path }]);
    await killAll(dirs, 9, { apply: (ops) => log.push(ops), kill: () => log.push('kill'), sleep: noSleep });
    expect(log).to.deep.equal([]);
  });
});

describe('cgroups/kill of a paused cgroup', () => {
  let fake;
  afterEach(() => fake && fake.cleanup());

  it('leaves a frozen cgroup frozen for a signal that does not kill, and thaws it for SIGKILL', async () => {
    fake = new FakeCgroupfs([{ mount: 'freezer', controllers: ['freezer'] }]);
    const dirs = fake.dirs('c1');
    fake.apply([{ op: 'mkdir', path: dirs.v1[0].path }]);
    const state = path.join(dirs.v1[0].path, 'freezer.state');
    fs.writeFileSync(path.join(dirs.v1[0].path, 'cgroup.procs'), '7\n');
    fs.writeFileSync(state, 'FROZEN');
    const log = [];
    const opts = { apply: (ops) => { fake.apply(ops); log.push(...ops.map((o) => `${path.basename(o.path)}=${o.value}`)); }, kill: (pid, sig) => log.push(`kill ${pid} ${sig}`), sleep: async () => {} };
    await killAll(dirs, 10, opts);
    expect(log).to.deep.equal(['kill 7 10']);
    expect(fs.readFileSync(state, 'utf8')).to.equal('FROZEN');
    log.length = 0;
    await killAll(dirs, 9, { ...opts, kill: (pid, sig) => { log.push(`kill ${pid} ${sig}`); fs.writeFileSync(path.join(dirs.v1[0].path, 'cgroup.procs'), ''); } });
    expect(log).to.deep.equal(['kill 7 9', 'freezer.state=THAWED']);
  });
});
