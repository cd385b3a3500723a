'use strict';
// The systemd cgroup driver against a real systemd: run inside the VM of
// the "systemd" layout only (scripts/vm/guest-systemd.sh boots systemd as
// PID 1 on a pure cgroup2 kernel; npm run test:vm). Everything is checked
// from systemd's side (systemctl show) and in the scope's cgroup files.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const cg = require('../helpers/cgroup-layout');

const MiB = 1024 * 1024;
const CG = '/sys/fs/cgroup';

function show(unit, ...props) {
  const r = spawnSync('systemctl', ['show', '--no-pager', ...props.map((p) => `--property=${p}`), unit], { encoding: 'utf8' });
  return Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}
const gone = (unit) => show(unit, 'LoadState', 'ActiveState');
const read = (dir, file) => fs.readFileSync(path.join(dir, file), 'utf8').trim();

describe('systemd cgroup driver, with systemd as PID 1', function () {
  this.timeout(120000);
  let root;
  const record = (id) => JSON.parse(fs.readFileSync(path.join(root, id, 'state.json'), 'utf8'));
  const sd = (args, opts) => h.cli(root, ['--systemd-cgroup', ...args], opts);
  const noCgroupNs = (c) => (c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'cgroup'));

  before(() => {
    h.requirePrerequisites();
    expect(fs.readlinkSync('/proc/1/exe')).to.match(/systemd$/);
    expect(cg.layoutKind()).to.equal('v2');
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  it('create: the init is in the scope, with the limits as unit properties and in its files; delete removes the unit', () => {
    const id = h.uniqueId('sd');
    const unit = `tsoci-${id}.scope`;
    const dir = `${CG}/system.slice/${unit}`;
    const b = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      c.linux.cgroupsPath = `system.slice:tsoci:${id}`;
      c.linux.resources = { memory: { limit: 64 * MiB }, pids: { limit: 40 }, cpu: { quota: 25000, period: 100000, cpus: '0' } };
      c.annotations = { 'org.systemd.property.CollectMode': "'inactive-or-failed'" };
    });
    const r = sd(['create', '-b', b, id]);
    expect(r.stderr).to.equal('');
    const p = show(unit, 'ActiveState', 'ControlGroup', 'Delegate', 'MemoryMax', 'TasksMax', 'CPUQuotaPerSecUSec', 'AllowedCPUs', 'CollectMode', 'DevicePolicy', 'Slice');
    expect(p).to.include({
      ActiveState: 'active',
      ControlGroup: `/system.slice/${unit}`,
      Delegate: 'yes',
      MemoryMax: String(64 * MiB),
      TasksMax: '40',
      CPUQuotaPerSecUSec: '250ms',
      AllowedCPUs: '0',
      CollectMode: 'inactive-or-failed',
      DevicePolicy: 'strict',
      Slice: 'system.slice',
    });
    expect(cg.procsOf(dir)).to.deep.equal([record(id).pid]);
    expect(read(dir, 'memory.max')).to.equal(String(64 * MiB));
    expect(read(dir, 'pids.max')).to.equal('40');
    expect(read(dir, 'cpu.max')).to.equal('25000 100000');
    expect(sd(['start', id]).stderr).to.equal('');
    expect(sd(['kill', id, 'KILL']).stderr).to.equal('');
    h.waitFor(() => JSON.parse(sd(['state', id]).stdout).status === 'stopped', 'the container stops');
    expect(sd(['delete', id]).stderr).to.equal('');
    expect(gone(unit).LoadState).to.equal('not-found');
    expect(fs.existsSync(dir)).to.equal(false);
  });

  it('run in the foreground, in a nested slice systemd makes; exec joins the scope', () => {
    const id = h.uniqueId('sd');
    const unit = `tsoci-${id}.scope`;
    const b = h.makeBundle((c) => {
      c.process.args = ['sh', '-c', 'cat /proc/self/cgroup; exit 3'];
      c.linux.cgroupsPath = `tsoci-nested.slice:tsoci:${id}`;
      noCgroupNs(c);
    });
    const r = sd(['run', '-b', b, id]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(3);
    expect(r.stdout.trim()).to.equal(`0::/tsoci.slice/tsoci-nested.slice/${unit}`);
    expect(gone(unit).LoadState).to.equal('not-found');

    const id2 = h.uniqueId('sd');
    const b2 = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      c.linux.cgroupsPath = `system.slice:tsoci:${id2}`;
      noCgroupNs(c);
    });
    expect(sd(['run', '-d', '-b', b2, id2]).stderr).to.equal('');
    const e = sd(['exec', id2, 'cat', '/proc/self/cgroup']);
    expect(e.stderr).to.equal('');
    expect(e.stdout.trim()).to.equal(`0::/system.slice/tsoci-${id2}.scope`);
    expect(sd(['delete', '--force', id2]).stderr).to.equal('');
    expect(gone(`tsoci-${id2}.scope`).LoadState).to.equal('not-found');
  });

  it('update goes to systemd and the files; pause/resume freeze the scope; ps and kill --all see it', () => {
    const id = h.uniqueId('sd');
    const unit = `tsoci-${id}.scope`;
    const dir = `${CG}/system.slice/${unit}`;
    const b = h.makeBundle((c) => {
      c.process.args = ['sh', '-c', 'sleep 1000 & sleep 1000'];
      c.linux.cgroupsPath = `system.slice:tsoci:${id}`;
      c.linux.resources = { memory: { limit: 64 * MiB } };
    });
    expect(sd(['run', '-d', '-b', b, id]).stderr).to.equal('');
    expect(sd(['update', '--memory', '96m', '--pids-limit', '33', id]).stderr).to.equal('');
    expect(show(unit, 'MemoryMax', 'TasksMax')).to.deep.equal({ MemoryMax: String(96 * MiB), TasksMax: '33' });
    expect(read(dir, 'memory.max')).to.equal(String(96 * MiB));
    expect(read(dir, 'pids.max')).to.equal('33');
    expect(sd(['pause', id]).stderr).to.equal('');
    expect(read(dir, 'cgroup.freeze')).to.equal('1');
    expect(JSON.parse(sd(['state', id]).stdout).status).to.equal('paused');
    expect(sd(['resume', id]).stderr).to.equal('');
    expect(read(dir, 'cgroup.freeze')).to.equal('0');
    expect(JSON.parse(sd(['ps', '--format', 'json', id]).stdout).sort()).to.deep.equal(cg.procsOf(dir).sort());
    expect(sd(['kill', '--all', id, 'KILL']).stderr).to.equal('');
    h.waitFor(() => !fs.existsSync(dir) || cg.procsOf(dir).length === 0, 'kill --all empties the scope');
    expect(sd(['delete', '--force', id]).stderr).to.equal('');
    expect(gone(unit).LoadState).to.equal('not-found');
  });

  it('the library: cgroupManager "systemd" with no cgroupsPath is ts-oci-<id>.scope in system.slice', async () => {
    const { Container } = require('../../dist/index.js');
    const id = h.uniqueId('sdlib');
    const b = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const c = await Container.create({ id, bundle: b, root, cgroupManager: 'systemd' });
    expect(show(`ts-oci-${id}.scope`, 'ActiveState').ActiveState).to.equal('active');
    await c.delete({ force: true });
    expect(gone(`ts-oci-${id}.scope`).LoadState).to.equal('not-found');
  });

  describe('bad input: one line, no unit, no state', () => {
    const units = () => spawnSync('systemctl', ['list-units', '--all', '--plain', '--no-legend', 'tsoci-*.scope'], { encoding: 'utf8' }).stdout.trim();
    const fails = (args, opts, pattern) => {
      const r = sd(args, opts);
      expect(r.status).to.equal(1);
      expect(r.stderr.trim().split('\n')).to.have.length(1);
      expect(r.stderr).to.match(pattern);
      expect(fs.readdirSync(root).filter((n) => args.includes(n))).to.deep.equal([]);
      expect(units()).to.equal('');
    };

    it('a malformed slice, a cgroupfs path, a name with "/"', () => {
      for (const [p, pattern] of [
        ['a--b.slice:tsoci:x', /invalid slice name: a--b\.slice/],
        ['/tsoci/x', /expected cgroupsPath to be of format "slice:prefix:name"/],
        ['system.slice:tsoci:a/b', /contains "\/"/],
      ]) {
        const id = h.uniqueId('sdbad');
        fails(['create', '-b', h.makeBundle((c) => (c.linux.cgroupsPath = p)), id], {}, pattern);
      }
    });

    it('a bus that cannot be reached', () => {
      const id = h.uniqueId('sdbad');
      const b = h.makeBundle((c) => (c.linux.cgroupsPath = `system.slice:tsoci:${id}`));
      fails(['create', '-b', b, id], { env: { DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/run/no-such-bus' } }, /systemd: cannot connect to the system bus at unix:path=\/run\/no-such-bus: ENOENT/);
    });

    it('a unit systemd refuses: its error, nothing left', () => {
      const id = h.uniqueId('sdbad');
      const b = h.makeBundle((c) => {
        c.linux.cgroupsPath = `system.slice:tsoci:${id}`;
        c.annotations = { 'org.systemd.property.NoSuchProperty': 'true' };
      });
      fails(['create', '-b', b, id], {}, /systemd: StartTransientUnit tsoci-.*\.scope: org\.freedesktop\.DBus\.Error\.\w+: /);
    });
  });
});
