'use strict';
// cgroups on a pure layout (run in the VMs of scripts/vm/: cgroup v2 only,
// or cgroup v1 only). The layout is read from /proc/self/mountinfo, never
// assumed; the expectations below say what each layout must show. The test
// process runs in a non-root cgroup (/ts-oci-vm), so a relative
// cgroupsPath is observably relative.
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const h = require('../helpers/integration');
const cg = require('../helpers/cgroup-layout');

const MiB = 1024 * 1024;
const LIMITS = { memory: { limit: 32 * MiB }, pids: { limit: 42 }, cpu: { shares: 512, quota: 50000, period: 100000, cpus: '0', mems: '0' } };

/** [controller, file, value] that LIMITS must produce on this layout. */
function expectedFiles(kind) {
  if (kind === 'v2') {
    return [
      ['memory', 'memory.max', String(32 * MiB)],
      ['pids', 'pids.max', '42'],
      ['cpu', 'cpu.max', '50000 100000'],
      // runc >= 1.3's shares → weight conversion: 512 → 59.
      ['cpu', 'cpu.weight', '59'],
      ['cpuset', 'cpuset.cpus', '0'],
      ['cpuset', 'cpuset.mems', '0'],
    ];
  }
  return [
    ['memory', 'memory.limit_in_bytes', String(32 * MiB)],
    ['pids', 'pids.max', '42'],
    ['cpu', 'cpu.cfs_quota_us', '50000'],
    ['cpu', 'cpu.cfs_period_us', '100000'],
    ['cpu', 'cpu.shares', '512'],
    ['cpuset', 'cpuset.cpus', '0'],
    ['cpuset', 'cpuset.mems', '0'],
  ];
}

/** Where a controller's file is inside the container's "cgroup" mount at /sys/fs/cgroup. */
const insidePath = (kind, controller, file) => (kind === 'v2' ? `/sys/fs/cgroup/${file}` : `/sys/fs/cgroup/${controller}/${file}`);

const withoutNs = (type) => (c) => (c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== type));

describe('cgroups on a pure layout', () => {
  let root;
  let kind;
  const absParent = `/tsoci-vm-${process.pid}`;
  const relParent = `tsoci-vm-rel-${process.pid}`;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
    kind = cg.layoutKind();
    expect(kind, 'these suites need a pure layout (run them with npm run test:vm)').to.be.oneOf(['v1', 'v2']);
  });
  after(() => {
    h.cleanup(root);
    for (const inner of [absParent, relParent]) for (const d of cg.dirsOf(inner)) cg.removeCgroupDir(d.dir);
  });

  function bundle(edit) {
    return h.makeBundle((c) => {
      cg.forThisLayout(c);
      if (edit) edit(c);
    });
  }

  function createSleeper(edit, id = h.uniqueId('vm')) {
    const b = bundle((c) => {
      c.process.args = ['sleep', '1000'];
      if (edit) edit(c);
    });
    // --pid-file rather than a `state` call: every CLI start costs seconds under TCG.
    const pidFile = path.join(h.work, `${id}.pid`);
    const r = h.cli(root, ['create', '-b', b, '--pid-file', pidFile, id]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    return { id, pid: Number(fs.readFileSync(pidFile, 'utf8')) };
  }

  /** The init is in `inner` of every hierarchy, and alone there. */
  function expectPlacement(pid, inner) {
    const dirs = cg.dirsOf(inner);
    expect(dirs.map((d) => d.version)).to.not.include(kind === 'v2' ? 1 : 2);
    const seen = cg.procCgroup(pid);
    for (const d of dirs) {
      expect(seen.get(d.key), `${d.mountPoint} in /proc/${pid}/cgroup`).to.equal(d.cgroup);
      expect(cg.procsOf(d.dir), `${d.dir}/cgroup.procs`).to.deep.equal([pid]);
    }
    return dirs;
  }

  function deleteAndExpectGone(id, dirs) {
    const r = h.cli(root, ['delete', id]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    for (const d of dirs) expect(fs.existsSync(d.dir), `${d.dir} after delete`).to.equal(false);
  }

  it('memory, pids and cpu limits are in the cgroup files of an absolute cgroupsPath; delete removes it', () => {
    const inner = `${absParent}/limits`;
    const { id, pid } = createSleeper((c) => {
      c.linux.cgroupsPath = inner;
      c.linux.resources = LIMITS;
    });
    const dirs = expectPlacement(pid, inner);
    for (const [controller, file, value] of expectedFiles(kind)) {
      const { dir } = cg.hierarchyFor(controller, dirs);
      expect(cg.readCgroupFile(dir, file), `${dir}/${file}`).to.equal(value);
    }
    deleteAndExpectGone(id, dirs);
  });

  it('inside, the "cgroup" mount shows the same limits, rooted at the container\'s cgroup, read-only', () => {
    const files = expectedFiles(kind);
    const script = [
      ...files.map(([controller, file]) => `echo "${file}=$(cat ${insidePath(kind, controller, file)})"`),
      'cat /proc/self/cgroup',
      `{ echo 7 > ${insidePath(kind, 'pids', 'pids.max')}; } 2>/dev/null && echo pids-writable || echo pids-readonly`,
    ].join('; ');
    const r = h.runScript(root, script, (c) => {
      cg.forThisLayout(c);
      c.linux.cgroupsPath = `${absParent}/inside`;
      c.linux.resources = LIMITS;
    });
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, files.length)).to.deep.equal(files.map(([, file, value]) => `${file}=${value}`));
    const procCgroup = lines.slice(files.length, -1);
    expect(procCgroup).to.have.length(cg.hierarchies().length);
    for (const line of procCgroup) expect(line).to.match(/^\d+:[^:]*:\/$/);
    expect(lines[lines.length - 1]).to.equal('pids-readonly');
  });

  it('a relative cgroupsPath is below the runtime\'s own cgroup in every hierarchy', () => {
    const inner = `${relParent}/c1`;
    const own = cg.procCgroup('self');
    for (const [key, p] of own) expect(p, `own cgroup of ${key || 'cgroup2'}`).to.not.equal('/');
    const { id, pid } = createSleeper((c) => (c.linux.cgroupsPath = inner));
    const dirs = expectPlacement(pid, inner);
    for (const d of dirs) expect(d.cgroup).to.equal(path.posix.join(own.get(d.key), inner));
    deleteAndExpectGone(id, dirs);
  });

  it('limits under a relative cgroupsPath: v1 applies them; v2 refuses them in one line, as its parent holds processes', () => {
    // cgroup v2's "no internal processes" rule: the runtime's own cgroup
    // (it runs there) cannot enable controllers for a child cgroup.
    const inner = `${relParent}/limited`;
    const id = h.uniqueId('vmrel');
    const b = bundle((c) => {
      c.process.args = ['sleep', '1000'];
      c.linux.cgroupsPath = inner;
      c.linux.resources = { pids: { limit: 42 } };
    });
    const r = h.cli(root, ['create', '-b', b, id]);
    const dirs = cg.dirsOf(inner);
    if (kind === 'v1') {
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      expect(cg.readCgroupFile(cg.hierarchyFor('pids', dirs).dir, 'pids.max')).to.equal('42');
      deleteAndExpectGone(id, dirs);
      return;
    }
    const own = cg.dirsOf('.')[0].dir;
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(
      `ts-oci: create ${id}: cannot enable the cgroup controllers pids in ${own}: it holds processes ` +
        '(cgroup v2 allows controllers only in cgroups without processes; choose a cgroupsPath outside it)\n',
    );
    // Nothing written to the runtime's own cgroup, which would have made it a thread root.
    expect(cg.readCgroupFile(own, 'cgroup.subtree_control')).to.equal('');
    expect(cg.readCgroupFile(own, 'cgroup.type')).to.equal('domain');
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
    for (const d of dirs) expect(fs.existsSync(d.dir), d.dir).to.equal(false);
  });

  it('without a cgroup namespace the container sees its full cgroup path', () => {
    const inner = `${absParent}/nons`;
    const r = h.runScript(root, 'cat /proc/self/cgroup', (c) => {
      cg.forThisLayout(c);
      withoutNs('cgroup')(c);
      c.linux.cgroupsPath = inner;
    });
    expect(r.stderr).to.equal('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).to.have.length(cg.hierarchies().length);
    for (const line of lines) expect(line).to.match(new RegExp(`^\\d+:[^:]*:${inner}$`));
  });

  it('delete --force kills the orphans of a dead init without a pid namespace, and removes the cgroup', () => {
    // v2 kills through cgroup.kill, v1 through freeze, signal, thaw. The
    // init's pid then lives on only as its orphans' session id.
    const inner = `${absParent}/force`;
    const { id, pid } = createSleeper((c) => {
      withoutNs('pid')(c);
      c.linux.cgroupsPath = inner;
      c.process.args = ['sh', '-c', 'sleep 100 & sleep 100'];
    });
    expect(h.cli(root, ['start', id]).status).to.equal(0);
    const { dir } = cg.hierarchyFor('pids', cg.dirsOf(inner));
    // busybox sh execs its last command: the init becomes the second sleep.
    h.waitFor(() => cg.procsOf(dir).length === 2, 'two sleeps');
    const members = cg.procsOf(dir);
    expect(h.cli(root, ['kill', id, 'KILL']).status).to.equal(0);
    h.waitFor(() => ['Z', undefined].includes(h.processState(pid)), 'init dead');
    expect(cg.procsOf(dir)).to.deep.equal(members.filter((p) => p !== pid));
    expect(JSON.parse(h.cli(root, ['state', id]).stdout).status).to.equal('stopped');
    const r = h.cli(root, ['delete', '--force', id]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    for (const p of members) expect(h.processState(p), `pid ${p}`).to.be.oneOf([undefined, 'Z']);
    for (const d of cg.dirsOf(inner)) expect(fs.existsSync(d.dir), d.dir).to.equal(false);
  });
});
