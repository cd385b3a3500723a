'use strict';
// pause/resume, ps, update, events and delete's cleanup on real containers.
// Each check asserts against the layout it runs on (v1, v2 or hybrid): the
// container's cgroup directories come from its state record.
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const cg = require('../helpers/cgroup-layout');

const MiB = 1024 * 1024;
const COUNTER = 'i=0; while true; do i=$((i+1)); echo $i > /tmp/count; sleep 0.02; done';

function record(root, id) {
  return JSON.parse(fs.readFileSync(path.join(root, id, 'state.json'), 'utf8'));
}
/** The directory holding `file` for this container: the v1 hierarchy of its controller, else cgroup2. */
function dirWith(root, id, controller) {
  const dirs = record(root, id).cgroupDirs;
  const v1 = dirs.v1.find((d) => d.controllers.includes(controller));
  return v1 ? v1.path : dirs.v2.path;
}
const isV1 = (root, id, controller) => record(root, id).cgroupDirs.v1.some((d) => d.controllers.includes(controller));
const allDirs = (dirs) => [...dirs.v1, ...(dirs.v2 ? [dirs.v2] : [])].map((d) => d.path);
// In the VMs (TCG, every CLI call takes seconds) only the tests marked `everywhere` run; the
// others exercise layout-independent code and run on the host (npm run test:integration).
const everywhere = it;
const hostOnly = process.env.TS_OCI_VM_LAYOUT ? () => undefined : it;
const readCount = (bundle) => Number(fs.readFileSync(path.join(bundle, 'rootfs/tmp/count'), 'utf8').trim() || 0);

describe('cgroup commands: pause, resume, ps, update, events, delete', () => {
  let root;
  // Absolute cgroupsPaths below a parent of ours: on cgroup2 a relative path below
  // the test's own (populated) cgroup could not get controllers enabled.
  const parent = `/tsoci-cmd-${process.pid}`;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => {
    h.cleanup(root);
    for (const d of cg.dirsOf(parent)) cg.removeCgroupDir(d.dir);
  });

  function runCounter(edit) {
    const id = h.uniqueId('cg');
    const bundle = h.makeBundle((c) => {
      c.process.args = ['sh', '-c', COUNTER];
      c.linux.cgroupsPath = `${parent}/${id}`;
      if (edit) edit(c);
    });
    const r = h.cli(root, ['run', '-d', '-b', bundle, id]);
    expect(r.stderr).to.equal('');
    h.waitFor(() => fs.existsSync(path.join(bundle, 'rootfs/tmp/count')) && readCount(bundle) > 0, 'the counter runs');
    return { id, bundle };
  }
  const status = (id) => JSON.parse(h.cli(root, ['state', id]).stdout).status;

  everywhere('pause stops the processes and shows paused; resume lets them go on', () => {
    const { id, bundle } = runCounter();
    expect(h.cli(root, ['pause', id]).status).to.equal(0);
    expect(status(id)).to.equal('paused');
    expect(h.cli(root, ['list']).stdout).to.match(new RegExp(`${id}\\s+\\d+\\s+paused`));
    const frozenAt = readCount(bundle);
    spawnSync('sleep', ['0.3']);
    expect(readCount(bundle)).to.equal(frozenAt);
    expect(h.cli(root, ['pause', id]).stderr).to.match(/container not running/);
    expect(h.cli(root, ['resume', id]).status).to.equal(0);
    expect(status(id)).to.equal('running');
    h.waitFor(() => readCount(bundle) > frozenAt, 'the counter goes on after resume');
    expect(h.cli(root, ['resume', id]).stderr).to.match(/container not paused/);
  });

  everywhere('exec into a paused container is refused; kill and delete of a paused container behave as runc', () => {
    const { id } = runCounter();
    expect(h.cli(root, ['pause', id]).status).to.equal(0);
    expect(h.cli(root, ['exec', id, 'true']).stderr).to.match(/cannot exec in a paused container \(use --ignore-paused to override\)/);
    // A signal that does not kill stays pending; the container stays paused.
    expect(h.cli(root, ['kill', id, 'USR1']).status).to.equal(0);
    expect(status(id)).to.equal('paused');
    expect(h.cli(root, ['delete', id]).stderr).to.match(/cannot delete container .* that is not stopped: paused/);
    // SIGKILL works on a paused container (thawed after the signal, as runc does).
    expect(h.cli(root, ['kill', id, 'KILL']).status).to.equal(0);
    h.waitFor(() => status(id) === 'stopped', 'the paused container dies of SIGKILL');
    expect(h.cli(root, ['delete', id]).status).to.equal(0);
  });

  everywhere('delete --force of a paused container kills it and removes its cgroup', () => {
    const { id } = runCounter();
    const dirs = record(root, id).cgroupDirs;
    expect(h.cli(root, ['pause', id]).status).to.equal(0);
    expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);
    expect(h.cli(root, ['state', id]).stderr).to.match(/does not exist/);
    for (const d of allDirs(dirs)) expect(fs.existsSync(d), d).to.equal(false);
  });

  hostOnly('ps: json is the bare array of pids, exec included; the table is ps filtered to them', () => {
    // Long-lived processes only, so every pid listed can be checked afterwards.
    const { id } = runCounter((c) => (c.process.args = ['sh', '-c', 'echo 1 > /tmp/count; sleep 999 & wait']));
    const init = record(root, id).pid;
    expect(h.cli(root, ['exec', '-d', id, 'sleep', '1000']).status).to.equal(0);
    let pids;
    h.waitFor(() => (pids = JSON.parse(h.cli(root, ['ps', '--format', 'json', id]).stdout)).some((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('sleep\0' + '1000')), 'the exec process is listed');
    expect(pids).to.include(init);
    const table = h.cli(root, ['ps', id, '-o', 'pid,args']).stdout.trim().split('\n');
    expect(table[0]).to.match(/PID/);
    const listed = table.slice(1).map((l) => Number(l.trim().split(/\s+/)[0]));
    expect(listed).to.include(init);
    for (const p of listed) expect(fs.readFileSync(`/proc/${p}/cgroup`, 'utf8')).to.include(id);
    expect(table.join('\n')).to.match(/sleep 1000/);
    const dirs = record(root, id).cgroupDirs;
    const sleeper = pids.find((p) => p !== init && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('sleep'));
    expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);
    // delete killed what exec added, and no cgroup directory is left.
    h.waitFor(() => h.processState(sleeper) === undefined || h.processState(sleeper) === 'Z', 'the exec process is gone');
    for (const d of allDirs(dirs)) expect(fs.existsSync(d), d).to.equal(false);
  });

  everywhere('update raises and lowers the memory limit and sets a cpu quota, visible in the files, inside and in stats', () => {
    // A pids limit too: on cgroup2 only the controllers a container uses are enabled (pids.current needs it).
    const { id } = runCounter((c) => (c.linux.resources = { memory: { limit: 64 * MiB }, pids: { limit: 100 } }));
    const memDir = dirWith(root, id, 'memory');
    const limitFile = isV1(root, id, 'memory') ? 'memory.limit_in_bytes' : 'memory.max';
    const read = (dir, f) => fs.readFileSync(path.join(dir, f), 'utf8').trim();
    expect(read(memDir, limitFile)).to.equal(String(64 * MiB));
    expect(h.cli(root, ['update', '--memory', '128m', id]).stderr).to.equal('');
    expect(read(memDir, limitFile)).to.equal(String(128 * MiB));
    expect(h.cli(root, ['update', '--memory', '32m', id]).stderr).to.equal('');
    expect(read(memDir, limitFile)).to.equal(String(32 * MiB));
    // From inside: the container's cgroup namespace shows its own cgroup at /sys/fs/cgroup.
    const inside = h.cli(root, ['exec', id, 'sh', '-c', `cat /sys/fs/cgroup/memory/${limitFile} 2>/dev/null || cat /sys/fs/cgroup/${limitFile}`]);
    expect(inside.stdout.trim()).to.equal(String(32 * MiB));
    expect(h.cli(root, ['update', '--cpu-quota', '50000', '--cpu-period', '100000', id]).stderr).to.equal('');
    const cpuDir = dirWith(root, id, 'cpu');
    if (isV1(root, id, 'cpu')) {
      expect(read(cpuDir, 'cpu.cfs_quota_us')).to.equal('50000');
      expect(read(cpuDir, 'cpu.cfs_period_us')).to.equal('100000');
    } else {
      expect(read(cpuDir, 'cpu.max')).to.equal('50000 100000');
    }
    const stats = JSON.parse(h.cli(root, ['events', '--stats', id]).stdout);
    expect(stats.type).to.equal('stats');
    expect(stats.id).to.equal(id);
    expect(stats.data.memory.usage.limit).to.equal(32 * MiB);
    expect(stats.data.memory.usage.usage).to.be.greaterThan(0);
    expect(stats.data.pids.current).to.be.at.least(1);
    expect(stats.data.cpu.usage.total).to.be.greaterThan(0);
    // Saved: a later update merges over it.
    expect(record(root, id).config.linux.resources.cpu).to.deep.equal({ quota: 50000, period: 100000 });
    expect(h.cli(root, ['update', '--kernel-memory', '1m', id]).stderr).to.match(/kernel memory/);
    expect(h.cli(root, ['update', '--l3-cache-schema', 'L3:0=f', id]).stderr).to.match(/resctrl/);
    const r = h.cli(root, ['update', '-r', '-', id], { input: JSON.stringify({ pids: { limit: 42 } }) });
    expect(r.stderr).to.equal('');
    expect(read(dirWith(root, id, 'pids'), 'pids.max')).to.equal('42');
  });

  everywhere('events reports an oom event when a process allocates past the limit', async () => {
    const id = h.uniqueId('oom');
    const bundle = h.makeBundle((c) => {
      c.linux.cgroupsPath = `${parent}/${id}`;
      // tail keeps all of its input when it has no newline: it grows until the OOM killer takes it.
      c.process.args = ['sh', '-c', 'while [ ! -e /tmp/go ]; do sleep 0.05; done; dd if=/dev/zero bs=1M count=256 2>/dev/null | tail > /dev/null; sleep 1000'];
      c.linux.resources = { memory: { limit: 32 * MiB, swap: 32 * MiB } };
    });
    expect(h.cli(root, ['run', '-d', '-b', bundle, id]).stderr).to.equal('');
    const events = spawn(h.bin, ['--root', root, 'events', '--interval', '1s', id], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const lines = [];
      let buffered = '';
      const oom = new Promise((resolve) => {
        events.stdout.on('data', (d) => {
          buffered += d;
          const parts = buffered.split('\n');
          buffered = parts.pop();
          for (const l of parts) {
            const e = JSON.parse(l);
            lines.push(e);
            if (e.type === 'stats' && lines.filter((x) => x.type === 'stats').length === 1) fs.writeFileSync(path.join(bundle, 'rootfs/tmp/go'), '');
            if (e.type === 'oom') resolve(e);
          }
        });
      });
      expect(await oom).to.deep.equal({ type: 'oom', id });
      expect(lines[0].type).to.equal('stats');
    } finally {
      events.kill();
      h.cli(root, ['delete', '--force', id]);
    }
  });

  hostOnly('update on v1 cpu: a new period the current quota or runtime makes invalid is written after its partner, as runc does', function () {
    const cpuRoot = cg.hierarchies().find((x) => x.version === 1 && x.controllers.includes('cpu'));
    if (!cpuRoot) this.skip(); // only hosts with a v1 cpu controller (this CI's hybrid layout) reach this path
    // The parent grants 0.5 cpu of cfs time and 0.5 of rt time; the container takes all of both.
    const parentDir = path.join(cpuRoot.mountPoint, parent);
    fs.mkdirSync(parentDir, { recursive: true });
    fs.writeFileSync(path.join(parentDir, 'cpu.cfs_quota_us'), '50000');
    fs.writeFileSync(path.join(parentDir, 'cpu.rt_runtime_us'), '500000');
    const { id } = runCounter((c) => (c.linux.resources = { cpu: { quota: 50000, period: 100000, realtimePeriod: 100000, realtimeRuntime: 50000 } }));
    const cpuDir = dirWith(root, id, 'cpu');
    const read = (f) => fs.readFileSync(path.join(cpuDir, f), 'utf8').trim();
    // Period first would be refused: 50000/50000 exceeds the parent's 0.5, and runtime 50000 exceeds period 40000.
    const r = h.cli(root, ['update', '--cpu-period', '50000', '--cpu-quota', '25000', '--cpu-rt-period', '40000', '--cpu-rt-runtime', '20000', id]);
    expect(r.stderr).to.equal('');
    expect([read('cpu.cfs_period_us'), read('cpu.cfs_quota_us'), read('cpu.rt_period_us'), read('cpu.rt_runtime_us')]).to.deep.equal(['50000', '25000', '40000', '20000']);
    // A period that stays invalid is still the error, naming the file.
    const bad = h.cli(root, ['update', '--cpu-period', '20000', '--cpu-quota', '50000', id]);
    expect(bad.status).to.not.equal(0);
    expect(bad.stderr).to.match(/cpu\.cfs_(period|quota)_us: EINVAL/);
    expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);
  });

  hostOnly('the library: pause, resume, processes, update, stats and the events iterator', async () => {
    const { Container } = require('../../dist/index.js');
    const { id, bundle } = runCounter((c) => (c.linux.resources = { memory: { limit: 64 * MiB }, pids: { limit: 50 } }));
    const c = await Container.load(id, { root });
    await c.pause();
    expect((await c.state()).status).to.equal('paused');
    const frozenAt = readCount(bundle);
    await new Promise((r) => setTimeout(r, 300));
    expect(readCount(bundle)).to.equal(frozenAt);
    await c.resume();
    expect((await c.state()).status).to.equal('running');
    expect(await c.processes()).to.include(record(root, id).pid);
    await c.update({ pids: { limit: 40 } });
    const stats = await c.stats();
    expect(stats.pids.limit).to.equal(40);
    expect(stats.memory.usage.limit).to.equal(64 * MiB);
    const seen = [];
    for await (const e of c.events({ interval: 200 })) {
      seen.push(e);
      if (seen.length === 2) break;
    }
    expect(seen.map((e) => e.type)).to.deep.equal(['stats', 'stats']);
    expect(seen[0].id).to.equal(id);
    await c.delete({ force: true });
  });
});
