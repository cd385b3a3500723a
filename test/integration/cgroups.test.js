'use strict';
// cgroups on this hybrid host (v1 controllers under /sys/fs/cgroup/<c>,
// cgroup2 without controllers at /sys/fs/cgroup/unified): where the
// container's cgroup goes, that the init is in it, that limits bite, and
// that nothing is left behind. Only our own test cgroups are created or
// removed; the host hierarchies are never touched.
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

const MiB = 1024 * 1024;

/** Every cgroup hierarchy mounted under /sys/fs/cgroup: { mountPoint, version, key } (key as in /proc/<pid>/cgroup). */
function hierarchies() {
  const list = [];
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const [fstype, , superOpts] = right.split(' ');
    const mountPoint = left.split(' ')[4];
    if (!mountPoint.startsWith('/sys/fs/cgroup/')) continue;
    if (fstype === 'cgroup2') list.push({ mountPoint, version: 2, key: '' });
    if (fstype !== 'cgroup') continue;
    const controllers = superOpts.split(',').filter((o) => !['rw', 'ro'].includes(o) && !o.startsWith('release_agent'));
    list.push({ mountPoint, version: 1, key: controllers.sort().join(',') });
  }
  return list;
}

/** /proc/<pid>/cgroup as key → path, keyed like hierarchies(). */
function procCgroup(pid) {
  const map = new Map();
  for (const line of fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    map.set(m[1].split(',').filter(Boolean).sort().join(','), m[2]);
  }
  return map;
}

/** The host directory of cgroup `inner` in every hierarchy (relative: under this process's own cgroup). */
function expectedDirs(inner) {
  const self = procCgroup('self');
  return hierarchies().map((hier) => {
    const base = inner.startsWith('/') ? '/' : self.get(hier.key);
    return { ...hier, cgroup: path.posix.join(base, inner), dir: path.posix.join(hier.mountPoint, base, inner) };
  });
}

function removeCgroupTree(inner) {
  for (const d of expectedDirs(inner)) {
    const walk = (dir) => {
      if (!fs.existsSync(dir)) return;
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(dir, e.name));
      fs.rmdirSync(dir);
    };
    walk(d.dir);
  }
}

function containerPid(root, id) {
  return JSON.parse(h.cli(root, ['state', id]).stdout).pid;
}

function tasksOf(dir) {
  return fs.readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').trim().split('\n').filter(Boolean).map(Number);
}

const withoutNs = (type) => (c) => (c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== type));

describe('cgroups (hybrid host)', () => {
  let root;
  // Parents of our cgroupsPaths; the runtime removes only the container's own cgroup, as runc does.
  const absParent = `/tsoci-test-${process.pid}`;
  const relParent = `tsoci-rel-${process.pid}`;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => {
    h.cleanup(root);
    removeCgroupTree(absParent);
    removeCgroupTree(relParent);
  });

  function createSleeper(edit, id = h.uniqueId('cg')) {
    const bundle = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      if (edit) edit(c);
    });
    const r = h.cli(root, ['create', '-b', bundle, id]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    return { id, bundle, pid: containerPid(root, id) };
  }

  /** Creates a container with cgroupsPath `configured`, checks it is at `inner` everywhere, deletes it. */
  function checkPlacement(configured, inner) {
    const { id, pid } = createSleeper((c) => {
      if (configured === undefined) delete c.linux.cgroupsPath;
      else c.linux.cgroupsPath = configured;
    });
    const dirs = expectedDirs(inner(id));
    expect(dirs.map((d) => d.version)).to.include.members([1, 2]);
    const seen = procCgroup(pid);
    for (const d of dirs) {
      expect(fs.existsSync(d.dir), d.dir).to.equal(true);
      expect(seen.get(d.key), `${d.mountPoint} in /proc/${pid}/cgroup`).to.equal(d.cgroup);
      expect(tasksOf(d.dir), d.dir).to.deep.equal([pid]);
    }
    expect(h.cli(root, ['delete', id]).status).to.equal(0);
    for (const d of dirs) expect(fs.existsSync(d.dir), `${d.dir} after delete`).to.equal(false);
  }

  it('an absolute cgroupsPath is below every hierarchy root, v1 and cgroup2', () => {
    checkPlacement(`${absParent}/c1`, () => `${absParent}/c1`);
  });

  it('a relative cgroupsPath is below the runtime caller\'s own cgroup', () => {
    // This process's memory cgroup is not the root here, so "relative" is observable.
    checkPlacement(`${relParent}/c1`, () => `${relParent}/c1`);
  });

  it('without cgroupsPath the cgroup is the relative "<id>" (runc\'s default)', () => {
    checkPlacement(undefined, (id) => id);
  });

  it('inside: the cgroup namespace is rooted at the container cgroup; without it the full path shows', () => {
    const inner = `${absParent}/inside`;
    const withNs = h.runScript(root, 'cat /proc/self/cgroup', (c) => (c.linux.cgroupsPath = inner));
    expect(withNs.stderr).to.equal('');
    const nsLines = withNs.stdout.trim().split('\n');
    // Every hierarchy the kernel has, mounted here or not (an unmounted v1
    // hierarchy lingers while cgroups of it exist): as many lines as ours.
    const hostLines = fs.readFileSync('/proc/self/cgroup', 'utf8').trim().split('\n');
    expect(nsLines).to.have.length(hostLines.length);
    for (const line of nsLines) expect(line).to.match(/^\d+:[^:]*:\/$/);

    const noNs = h.runScript(root, 'cat /proc/self/cgroup', (c) => {
      c.linux.cgroupsPath = inner;
      withoutNs('cgroup')(c);
    });
    expect(noNs.stderr).to.equal('');
    const mounted = new Set(hierarchies().map((x) => x.key));
    const key = (line) => line.split(':')[1].split(',').sort().join(',');
    const lines = noNs.stdout.trim().split('\n').filter((l) => mounted.has(key(l)));
    expect(lines).to.have.length(mounted.size);
    for (const line of lines) expect(line).to.match(new RegExp(`^\\d+:[^:]*:${inner}$`));
  });

  it('memory.limit: written to the v1 memory cgroup, and a process above it is OOM-killed', () => {
    const limited = createSleeper((c) => {
      c.linux.cgroupsPath = `${absParent}/mem`;
      c.linux.resources = { memory: { limit: 16 * MiB } };
    });
    const memDir = expectedDirs(`${absParent}/mem`).find((d) => d.key === 'memory').dir;
    expect(fs.readFileSync(path.join(memDir, 'memory.limit_in_bytes'), 'utf8').trim()).to.equal(String(16 * MiB));
    expect(h.cli(root, ['delete', limited.id]).status).to.equal(0);

    // dd's 64 MiB buffer is filled from /dev/zero, so every page is really touched (no swap on this host).
    const script = 'dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null; echo "rc=$?"; grep oom_kill /sys/fs/cgroup/memory/memory.oom_control';
    const small = h.runScript(root, script, (c) => (c.linux.resources = { memory: { limit: 16 * MiB } }));
    expect(small.stdout).to.match(/^rc=137\n/);
    expect(small.stdout).to.match(/^oom_kill 1$/m);
    const large = h.runScript(root, script, (c) => (c.linux.resources = { memory: { limit: 256 * MiB } }));
    expect(large.stdout).to.match(/^rc=0\n/);
    expect(large.stdout).to.match(/^oom_kill 0$/m);
  });

  it('pids.limit: written to pids.max, and forks beyond it fail', () => {
    const limited = createSleeper((c) => {
      c.linux.cgroupsPath = `${absParent}/pids`;
      c.linux.resources = { pids: { limit: 8 } };
    });
    const pidsDir = expectedDirs(`${absParent}/pids`).find((d) => d.key === 'pids').dir;
    expect(fs.readFileSync(path.join(pidsDir, 'pids.max'), 'utf8').trim()).to.equal('8');
    expect(h.cli(root, ['delete', limited.id]).status).to.equal(0);

    // busybox sh exits when a fork fails, so a child shell does the forking;
    // afterwards only builtins and globs, as the cgroup is (nearly) full.
    const script = [
      "sh -c 'i=0; while [ $i -lt 20 ]; do sleep 10 & i=$((i+1)); done'",
      'read n < /sys/fs/cgroup/pids/pids.current',
      'set -- /proc/[0-9]*',
      'echo "current=$n procs=$#"',
    ].join('; ');
    const r = h.runScript(root, script, (c) => (c.linux.resources = { pids: { limit: 8 } }));
    expect(r.stderr).to.match(/can't fork|Resource temporarily unavailable/);
    const [, current, procs] = /current=(\d+) procs=(\d+)/.exec(r.stdout).map(Number);
    expect(current).to.be.at.most(8).and.at.least(2);
    expect(procs).to.equal(current);
  });

  it('the "cgroup" mount shows the container\'s own cgroups, read-only', () => {
    const script = [
      'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max',
      'mkdir /sys/fs/cgroup/memory/sub 2>&1 || echo mkdir-refused',
    ].join('; ');
    const r = h.runScript(root, script, (c) => (c.linux.resources = { memory: { limit: 48 * MiB }, pids: { limit: 77 } }));
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 2)).to.deep.equal([String(48 * MiB), '77']);
    expect(r.stdout).to.match(/Read-only file system/);
    expect(lines[lines.length - 1]).to.equal('mkdir-refused');
  });

  it('kill --all signals every process in the cgroup', () => {
    // Without a pid namespace the sleeps would survive a signal to sh alone.
    const { id } = createSleeper((c) => {
      withoutNs('pid')(c);
      c.process.args = ['sh', '-c', 'sleep 100 & sleep 100 & wait'];
    });
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    const pidsDir = expectedDirs(id).find((d) => d.key === 'pids').dir;
    h.waitFor(() => tasksOf(pidsDir).length === 3, 'sh and two sleeps');
    const members = tasksOf(pidsDir);
    expect(h.cli(root, ['kill', '--all', id, 'TERM']).status).to.equal(0);
    h.waitFor(() => members.every((p) => ['Z', undefined].includes(h.processState(p))), 'every member gone');
    h.waitFor(() => JSON.parse(h.cli(root, ['state', id]).stdout).status === 'stopped', 'stopped');
    expect(h.cli(root, ['delete', id]).status).to.equal(0);
  });

  it('delete --force leaves no process behind when the container has no pid namespace', () => {
    const { id } = createSleeper((c) => {
      withoutNs('pid')(c);
      c.process.args = ['sh', '-c', 'sleep 100 & sleep 100'];
    });
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    const pidsDir = expectedDirs(id).find((d) => d.key === 'pids').dir;
    // busybox sh execs its last command: the init becomes the second sleep.
    h.waitFor(() => tasksOf(pidsDir).length === 2, 'two sleeps');
    const members = tasksOf(pidsDir);
    expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);
    for (const pid of members) expect(h.processState(pid), `pid ${pid}`).to.be.oneOf([undefined, 'Z']);
    for (const d of expectedDirs(id)) expect(fs.existsSync(d.dir), d.dir).to.equal(false);
  });

  it('a failed create removes the cgroups it made, in every hierarchy', () => {
    const inner = `${absParent}/failed`;
    const bundle = h.makeBundle((c) => {
      c.linux.cgroupsPath = inner;
      c.linux.resources = { pids: { limit: 50 } };
      c.mounts.push({ destination: '/nowhere', type: 'bind', source: path.join(h.work, 'no-such-source'), options: ['bind'] });
    });
    const id = h.uniqueId('cgfail');
    const r = h.cli(root, ['create', '-b', bundle, id]);
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.match(/no-such-source/);
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
    for (const d of expectedDirs(inner)) expect(fs.existsSync(d.dir), d.dir).to.equal(false);
  });

  it('create refuses a cgroup that already holds a process, and leaves it alone', () => {
    const inner = `${absParent}/busy`;
    const pidsDir = expectedDirs(inner).find((d) => d.key === 'pids').dir;
    fs.mkdirSync(pidsDir, { recursive: true });
    const [squatter] = spawnInCgroup(pidsDir, 1);
    try {
      const bundle = h.makeBundle((c) => (c.linux.cgroupsPath = inner));
      const id = h.uniqueId('cgbusy');
      const r = h.cli(root, ['create', '-b', bundle, id]);
      expect(r.status).to.not.equal(0);
      expect(r.stderr).to.contain("container's cgroup is not empty");
      expect(fs.existsSync(path.join(root, id))).to.equal(false);
      expect(h.processState(squatter)).to.be.oneOf(['S', 'R']);
      expect(tasksOf(pidsDir)).to.deep.equal([squatter]);
      const memDir = expectedDirs(inner).find((d) => d.key === 'memory').dir;
      expect(fs.existsSync(memDir), memDir).to.equal(false);
    } finally {
      process.kill(squatter, 'SIGKILL');
      h.waitFor(() => tasksOf(pidsDir).length === 0, 'squatter gone');
      fs.rmdirSync(pidsDir);
    }
  });

  it('blkio throttling is applied; a leaf weight this kernel has no file for refuses the create, leaving no cgroup', () => {
    const blockDevs = fs.readdirSync('/sys/block').sort();
    expect(blockDevs.length, 'a block device for the throttle rule').to.be.above(0);
    const [major, minor] = fs.readFileSync(`/sys/block/${blockDevs[0]}/dev`, 'utf8').trim().split(':').map(Number);
    const id = h.uniqueId('blkio');
    const inner = `${absParent}/${id}`;
    const bundle = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      c.linux.cgroupsPath = inner;
      c.linux.resources.blockIO = { throttleReadBpsDevice: [{ major, minor, rate: 1048576 }] };
    });
    const r = h.cli(root, ['create', '-b', bundle, id]);
    expect(r.status, r.stderr).to.equal(0);
    const blkio = expectedDirs(inner).find((d) => d.key === 'blkio');
    expect(fs.readFileSync(path.join(blkio.dir, 'blkio.throttle.read_bps_device'), 'utf8')).to.equal(`${major}:${minor} 1048576\n`);
    // Which weight files a cgroup has depends on the I/O schedulers built in (CFQ: blkio.weight, BFQ: blkio.bfq.weight).
    const has = (f) => fs.existsSync(path.join(blkio.dir, f));
    const weightFile = ['blkio.weight', 'blkio.bfq.weight'].find(has);
    const leafWeight = has('blkio.leaf_weight');
    expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);

    const weighted = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      c.linux.cgroupsPath = inner;
      c.linux.resources.blockIO = { weight: 500, ...(leafWeight ? {} : { leafWeight: 300 }) };
    });
    const r2 = h.cli(root, ['create', '-b', weighted, id]);
    if (leafWeight) {
      expect(r2.status, r2.stderr).to.equal(0);
      expect(fs.readFileSync(path.join(blkio.dir, weightFile), 'utf8')).to.match(/500/);
      expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);
      return;
    }
    expect(r2.status).to.equal(1);
    expect(r2.stderr).to.contain('linux.resources.blockIO.leafWeight: cannot be applied on this host: blkio.leaf_weight does not exist');
    for (const d of expectedDirs(inner)) expect(fs.existsSync(d.dir), d.dir).to.equal(false);
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });

  it('a blkio weight is applied through whichever weight file the kernel has (CFQ or BFQ)', () => {
    const id = h.uniqueId('blkw');
    const inner = `${absParent}/${id}`;
    const bundle = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      c.linux.cgroupsPath = inner;
      c.linux.resources.blockIO = { weight: 500 };
    });
    const r = h.cli(root, ['create', '-b', bundle, id]);
    const blkio = expectedDirs(inner).find((d) => d.key === 'blkio');
    const weightFile = ['blkio.weight', 'blkio.bfq.weight'].find((f) => fs.existsSync(path.join(blkio.dir, f)));
    try {
      if (r.status === 0) {
        expect(weightFile, 'a weight file').to.be.a('string');
        expect(fs.readFileSync(path.join(blkio.dir, weightFile), 'utf8')).to.match(/500/);
      } else {
        expect(r.stderr).to.contain('linux.resources.blockIO.weight: cannot be applied on this host');
        expect(fs.existsSync(blkio.dir)).to.equal(false);
      }
    } finally {
      h.cli(root, ['delete', '--force', id]);
    }
  });
});

/** Starts `count` detached `sleep 1000` processes and moves them into a v1 cgroup; returns their pids. */
function spawnInCgroup(dir, count) {
  const pids = [];
  for (let i = 0; i < count; i++) {
    const child = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    child.unref();
    fs.writeFileSync(path.join(dir, 'cgroup.procs'), String(child.pid));
    pids.push(child.pid);
  }
  return pids;
}
