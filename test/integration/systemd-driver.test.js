'use strict';
// The systemd cgroup driver end to end, against test/helpers/fake-systemd.js
// on a private D-Bus daemon (these machines have no systemd as PID 1): what
// goes over the bus (unit name, slice, PIDs, Delegate, the resources as
// properties, annotations), the scope's directories with the container in
// them and its limits in their files, update, pause/resume, exec, kill --all,
// delete removing the unit, and bad input leaving nothing behind.
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const h = require('../helpers/integration');
const cg = require('../helpers/cgroup-layout');
const { startFakeSystemd } = require('../helpers/systemd-bus');

const MiB = 1024 * 1024;

describe('systemd cgroup driver (fake systemd on a private bus)', function () {
  this.timeout(120000);
  let root;
  let bus;
  let savedAddress;
  const slice = `tsoci${process.pid}.slice`;
  const sliceDirs = () => cg.hierarchies().map((x) => path.join(x.mountPoint, slice));
  const record = (id) => JSON.parse(fs.readFileSync(path.join(root, id, 'state.json'), 'utf8'));
  const sd = (args, opts) => h.cli(root, ['--systemd-cgroup', ...args], opts);

  before(async () => {
    h.requirePrerequisites();
    root = h.stateRoot();
    bus = await startFakeSystemd();
    savedAddress = process.env.DBUS_SYSTEM_BUS_ADDRESS;
    process.env.DBUS_SYSTEM_BUS_ADDRESS = bus.address;
  });
  after(() => {
    h.cleanup(root);
    if (savedAddress === undefined) delete process.env.DBUS_SYSTEM_BUS_ADDRESS;
    else process.env.DBUS_SYSTEM_BUS_ADDRESS = savedAddress;
    bus?.stop();
    for (const d of sliceDirs()) cg.removeCgroupDir(d);
  });

  function bundle(script, edit) {
    return h.makeBundle((c) => {
      c.process.args = ['sh', '-c', script];
      if (edit) edit(c);
    });
  }

  it('run: the init is in <prefix>-<name>.scope of the slice, with the resources as unit properties and in the files', () => {
    const id = h.uniqueId('sd');
    const unit = `tsoci-${id}.scope`;
    const b = bundle('cat /proc/self/cgroup; echo END', (c) => {
      c.linux.cgroupsPath = `${slice}:tsoci:${id}`;
      c.linux.resources = { memory: { limit: 64 * MiB }, pids: { limit: 50 }, cpu: { shares: 512, quota: 20000, period: 100000 } };
      c.annotations = { 'org.systemd.property.CollectMode': "'inactive-or-failed'", 'org.systemd.property.TimeoutStopSec': 'uint64 5' };
    });
    const r = sd(['create', '-b', b, id]);
    expect(r.stderr).to.equal('');
    const props = bus.units()[unit].properties;
    const pid = record(id).pid;
    expect(props.PIDs).to.deep.equal([pid]);
    expect(props.Slice).to.equal(slice);
    expect(props.Delegate).to.equal(true);
    expect(props.DefaultDependencies).to.equal(false);
    expect(props.TasksMax).to.equal('50');
    expect(props.CollectMode).to.equal('inactive-or-failed');
    expect(props.TimeoutStopUSec).to.equal('5000000');
    expect(props.CPUQuotaPerSecUSec).to.equal('200000');
    expect(props.DevicePolicy).to.equal('strict');
    const kind = cg.layoutKind();
    if (kind === 'v2') {
      expect(props.MemoryMax).to.equal(String(64 * MiB));
      expect(props.CPUWeight).to.be.a('string');
    } else {
      expect(props.MemoryLimit).to.equal(String(64 * MiB));
      expect(props.CPUShares).to.equal('512');
    }
    // The limits are in the scope's own files (written after systemd made it).
    const memDir = cg.hierarchyFor('memory').mountPoint;
    const scopeMem = path.join(memDir, slice, unit);
    expect(cg.readCgroupFile(scopeMem, kind === 'v2' ? 'memory.max' : 'memory.limit_in_bytes')).to.equal(String(64 * MiB));
    expect(cg.readCgroupFile(path.join(cg.hierarchyFor('pids').mountPoint, slice, unit), 'pids.max')).to.equal('50');
    expect(cg.procsOf(scopeMem)).to.deep.equal([pid]);
    expect(record(id).cgroupDirs.systemd).to.deep.equal({ unit, slice });
    const s = sd(['start', id]);
    expect(s.stderr).to.equal('');
    h.waitFor(() => JSON.parse(sd(['state', id]).stdout).status === 'stopped', 'the container ends');
    expect(sd(['delete', id]).stderr).to.equal('');
    expect(bus.units()[unit]).to.equal(undefined);
    expect(fs.existsSync(scopeMem)).to.equal(false);
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });

  it('the container sees its scope in /proc/self/cgroup', () => {
    const id = h.uniqueId('sd');
    const b = bundle('cat /proc/1/cgroup', (c) => {
      c.linux.cgroupsPath = `${slice}:tsoci:${id}`;
      c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'cgroup');
    });
    const r = sd(['run', '-b', b, id]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    for (const line of r.stdout.trim().split('\n')) {
      if (/:(memory|pids|devices|):/.test(line)) expect(line).to.match(new RegExp(`:/${slice}/tsoci-${id}\\.scope$`));
    }
    expect(bus.units()[`tsoci-${id}.scope`]).to.equal(undefined);
  });

  it('update goes through SetUnitProperties and the files; pause/resume, exec, ps and kill --all work on the scope', () => {
    const id = h.uniqueId('sd');
    const unit = `tsoci-${id}.scope`;
    const b = bundle('sleep 1000 & sleep 1000', (c) => {
      c.linux.cgroupsPath = `${slice}:tsoci:${id}`;
      c.linux.resources = { memory: { limit: 64 * MiB } };
      // The host's view of cgroup paths inside, for the exec check.
      c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'cgroup');
    });
    expect(sd(['run', '-d', '-b', b, id]).stderr).to.equal('');
    const u = sd(['update', '--memory', '96m', '--pids-limit', '30', id]);
    expect(u.stderr).to.equal('');
    const updates = bus.units()[unit].updates;
    expect(updates).to.have.length(1);
    const kind = cg.layoutKind();
    expect(updates[0][kind === 'v2' ? 'MemoryMax' : 'MemoryLimit']).to.equal(String(96 * MiB));
    expect(updates[0].TasksMax).to.equal('30');
    const memDir = path.join(cg.hierarchyFor('memory').mountPoint, slice, unit);
    expect(cg.readCgroupFile(memDir, kind === 'v2' ? 'memory.max' : 'memory.limit_in_bytes')).to.equal(String(96 * MiB));

    expect(sd(['pause', id]).stderr).to.equal('');
    expect(JSON.parse(sd(['state', id]).stdout).status).to.equal('paused');
    expect(sd(['resume', id]).stderr).to.equal('');
    const e = sd(['exec', id, 'sh', '-c', 'cat /proc/self/cgroup']);
    expect(e.stderr).to.equal('');
    expect(e.stdout).to.contain(`/${slice}/${unit}`);
    const pids = JSON.parse(sd(['ps', '--format', 'json', id]).stdout);
    expect(pids.length).to.be.at.least(2);
    expect(sd(['kill', '--all', id, 'KILL']).stderr).to.equal('');
    h.waitFor(() => cg.procsOf(memDir).length === 0, 'kill --all empties the scope');
    expect(sd(['delete', '--force', id]).stderr).to.equal('');
    expect(bus.units()[unit]).to.equal(undefined);
  });

  it('the library: Container.create({ cgroupManager: "systemd" }) with an unset cgroupsPath is ts-oci-<id>.scope in system.slice', async () => {
    const { Container } = require('../../dist/index.js');
    const id = h.uniqueId('sdlib');
    const b = bundle('sleep 1000');
    const c = await Container.create({ id, bundle: b, root, cgroupManager: 'systemd' });
    try {
      const props = bus.units()[`ts-oci-${id}.scope`].properties;
      expect(props.Slice).to.equal('system.slice');
      expect(props.PIDs).to.deep.equal([(await c.state()).pid]);
    } finally {
      await c.delete({ force: true });
      for (const x of cg.hierarchies()) cg.removeCgroupDir(path.join(x.mountPoint, 'system.slice', `ts-oci-${id}.scope`));
    }
    expect(bus.units()[`ts-oci-${id}.scope`]).to.equal(undefined);
  });

  describe('bad input: one line, nothing left behind', () => {
    const leftovers = (id) => ({
      state: fs.existsSync(path.join(root, id)),
      units: Object.keys(bus.units()).filter((n) => n.includes(id)),
      dirs: sliceDirs().filter((d) => fs.existsSync(d) && fs.readdirSync(d).some((n) => n.includes(id))),
    });
    const nothing = { state: false, units: [], dirs: [] };

    it('a cgroupfs path under --systemd-cgroup', () => {
      const id = h.uniqueId('sdbad');
      const r = sd(['create', '-b', bundle('true', (c) => (c.linux.cgroupsPath = '/docker/abc')), id]);
      expect(r.status).to.equal(1);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.contain('expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got "/docker/abc" instead');
      expect(r.stderr).to.contain('config.json');
      expect(leftovers(id)).to.deep.equal(nothing);
    });

    it('a malformed slice and a name with "/"', () => {
      for (const p of ['a--b.slice:p:x', 'system.slice:p:a/b']) {
        const id = h.uniqueId('sdbad');
        const r = sd(['create', '-b', bundle('true', (c) => (c.linux.cgroupsPath = p)), id]);
        expect(r.status).to.equal(1);
        expect(r.stderr.trim().split('\n')).to.have.length(1);
        expect(r.stderr).to.match(/invalid slice name: a--b\.slice|contains "\/"/);
        expect(leftovers(id)).to.deep.equal(nothing);
      }
    });

    it('a bus that cannot be reached', () => {
      const id = h.uniqueId('sdbad');
      const r = sd(['create', '-b', bundle('true', (c) => (c.linux.cgroupsPath = `${slice}:tsoci:${id}`)), id], {
        env: { DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${path.join(h.work, 'no-such-bus')}` },
      });
      expect(r.status).to.equal(1);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(/ts-oci: create .*: systemd: cannot connect to the system bus at unix:path=.*no-such-bus: ENOENT/);
      expect(leftovers(id)).to.deep.equal(nothing);
    });

    it('a start job that fails: the job\'s result, and no unit, cgroup or state left', () => {
      const id = h.uniqueId('failjob');
      const r = sd(['create', '-b', bundle('true', (c) => (c.linux.cgroupsPath = `${slice}:tsoci:${id}`)), id]);
      expect(r.status).to.equal(1);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.contain(`systemd: error creating unit tsoci-${id}.scope: job failed`);
      expect(leftovers(id)).to.deep.equal(nothing);
    });

    it('a bad org.systemd.property annotation names it', () => {
      const id = h.uniqueId('sdbad');
      const b = bundle('true', (c) => {
        c.linux.cgroupsPath = `${slice}:tsoci:${id}`;
        c.annotations = { 'org.systemd.property.CollectMode': 'bare-word' };
      });
      const r = sd(['create', '-b', b, id]);
      expect(r.status).to.equal(1);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.contain('annotation org.systemd.property.CollectMode=bare-word value parse error');
      expect(leftovers(id)).to.deep.equal(nothing);
    });

    it('an unknown --cgroup-manager', () => {
      const r = h.cli(root, ['--cgroup-manager', 'foo', 'list']);
      expect(r.status).to.not.equal(0);
      expect(r.stderr).to.contain('invalid --cgroup-manager "foo"');
    });
  });
});
