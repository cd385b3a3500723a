'use strict';
// SystemdManager's order of calls, with a fake D-Bus connection and a fake
// cgroupfs manager (the bus itself: test/integration/systemd-driver.test.js).
const { expect } = require('chai');
const { SystemdManager } = require('../../../../dist/cgroups/systemd/systemd-manager');
const { openCgroupManager } = require('../../../../dist/cgroups/open-manager');

function fakes(version = 252) {
  const calls = [];
  const conn = {
    version: async () => version,
    startTransientUnit: async (unit, props) => calls.push(['start', unit, props]),
    setUnitProperties: async (unit, props) => calls.push(['set', unit, props]),
    stopUnit: async (unit) => calls.push(['stop', unit]),
    resetFailedUnit: async (unit) => calls.push(['reset', unit]),
    close: () => calls.push(['close']),
  };
  const fs = {
    kind: 'v2',
    create: (r) => calls.push(['fs.create', r]),
    update: (r) => calls.push(['fs.update', r]),
    signalAll: async (s) => calls.push(['fs.signalAll', s]),
    remove: () => calls.push(['fs.remove']),
    cloneIntoDir: () => '/sys/fs/cgroup/system.slice/x.scope',
  };
  return { calls, conn, fs };
}

const dirs = { v1: [], v2: { version: 2, controllers: [], mountPoint: '/sys/fs/cgroup', path: '/sys/fs/cgroup/system.slice/p-x.scope' }, systemd: { unit: 'p-x.scope', slice: 'system.slice' } };
const names = (props) => props.map((p) => p.name);

describe('cgroups/systemd/systemd-manager', () => {
  it('start: StartTransientUnit with the scope properties, the connection closed, then the cgroupfs writes', async () => {
    const { calls, conn, fs } = fakes();
    const m = new SystemdManager(dirs, fs, async () => conn);
    const resources = { memory: { limit: 1 << 20 } };
    await m.start(4242, { id: 'x', resources, annotations: { 'org.systemd.property.CollectMode': "'inactive-or-failed'" } });
    expect(calls.map((c) => c[0])).to.deep.equal(['start', 'close', 'fs.create']);
    const [, unit, props] = calls[0];
    expect(unit).to.equal('p-x.scope');
    expect(names(props)).to.deep.equal([
      'Description', 'Slice', 'PIDs', 'Delegate', 'MemoryAccounting', 'CPUAccounting', 'IOAccounting', 'TasksAccounting',
      'DefaultDependencies', 'MemoryMax', 'CollectMode',
    ]);
    expect(props.find((p) => p.name === 'PIDs')).to.deep.equal({ name: 'PIDs', signature: 'au', value: [4242] });
    expect(props.find((p) => p.name === 'Slice').value).to.equal('system.slice');
    expect(calls[2][1]).to.equal(resources);
  });

  it('update: SetUnitProperties, then the files', async () => {
    const { calls, conn, fs } = fakes();
    const m = new SystemdManager(dirs, fs, async () => conn);
    await m.update({ pids: { limit: 9 } });
    expect(calls.map((c) => c[0])).to.deep.equal(['set', 'close', 'fs.update']);
    expect(calls[0][2]).to.deep.equal([{ name: 'TasksMax', signature: 't', value: 9n }]);
  });

  it('destroy: kill everything, stop and reset the unit, then remove what is left', async () => {
    const { calls, conn, fs } = fakes();
    const m = new SystemdManager(dirs, fs, async () => conn);
    await m.destroy();
    expect(calls).to.deep.equal([['fs.signalAll', 9], ['stop', 'p-x.scope'], ['reset', 'p-x.scope'], ['close'], ['fs.remove']]);
  });

  it('the connection is closed when the start fails', async () => {
    const { calls, conn, fs } = fakes();
    conn.startTransientUnit = async () => {
      throw new Error('systemd: error creating unit p-x.scope: job failed');
    };
    const m = new SystemdManager(dirs, fs, async () => conn);
    let err;
    await m.start(1, { id: 'x' }).catch((e) => (err = e));
    expect(err.message).to.contain('job failed');
    expect(calls.map((c) => c[0])).to.deep.equal(['close']);
  });

  it('v1 hosts get the v1 properties; create checks them before anything exists', () => {
    const { conn, fs } = fakes();
    fs.kind = 'hybrid';
    const m = new SystemdManager(dirs, fs, async () => conn);
    expect(names(m.resourceProperties({ memory: { limit: 5 }, cpu: { shares: 100 } }, { systemdVersion: 252 }))).to.deep.equal(['MemoryLimit', 'CPUShares']);
    expect(() => m.create({ cpu: { cpus: '3-1' } })).to.throw(/invalid range/);
  });

  it('openCgroupManager picks it for directories that name a unit', () => {
    expect(openCgroupManager(dirs)).to.be.instanceOf(SystemdManager);
    expect(openCgroupManager({ v1: [], v2: dirs.v2 })).to.not.be.instanceOf(SystemdManager);
  });
});
