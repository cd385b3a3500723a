'use strict';
// The helper joins the container's v1 cgroups itself, writing "0" to the
// `tasks` fds the runtime passes (a pid written to cgroup.procs by the
// runtime waits out an RCU grace period). Checked from strace of a real
// run, from the helper driven with crafted plans, and for exec.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const { runPlan } = require('../helpers/run-plan');
const { hierarchies } = require('../helpers/cgroup-layout');

const helper = path.join(h.repo, 'build/Release/ts-oci-init');
const v1Hierarchies = () => hierarchies().filter((x) => x.version === 1).map((x) => path.basename(x.mountPoint));
const isolated = ['unshare', '--mount', '--uts', '--ipc', '--net', '--pid', '--fork', '--propagation', 'private'];

/**
 * The /proc/self/cgroup lines of the mounted v1 hierarchies: a hierarchy
 * left behind unmounted (a hugetlb one a benchmark mounted for crun) is
 * still listed, with every process at its root.
 */
function mountedV1Lines(procCgroup) {
  const keys = new Set(hierarchies().filter((x) => x.version === 1).map((x) => x.key));
  const lines = procCgroup.trim().split('\n').filter((l) => keys.has(l.split(':')[1].split(',').sort().join(',')));
  expect(lines).to.have.lengthOf(keys.size);
  return lines;
}

// Without a cgroup namespace, so /proc/self/cgroup shows the full paths.
const bundle = (args) => h.makeBundle((c) => {
  c.process.args = args;
  c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'cgroup');
});

/** The writes and opens of a command run under strace -f, with the paths of their fds (-y). */
function traced(args) {
  const trace = path.join(h.work, `strace-join-${process.pid}`);
  try {
    const r = spawnSync('strace', ['-f', '-qq', '-y', '-o', trace, '-e', 'trace=openat,write', '-e', 'signal=none', h.bin, ...args],
      { encoding: 'utf8', timeout: 60000 });
    return { r, lines: fs.readFileSync(trace, 'utf8').split('\n') };
  } finally {
    fs.rmSync(trace, { force: true });
  }
}

describe('cgroup join: the helper moves itself into the v1 cgroups', () => {
  let root;
  before(function () {
    h.requirePrerequisites();
    if (v1Hierarchies().length === 0) throw new Error('these tests need v1 cgroup hierarchies (the hybrid host layout)');
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  it('run: every v1 hierarchy is joined by a write of "0" to its tasks file; the runtime writes no pid', () => {
    const id = h.uniqueId('join');
    const { r, lines } = traced(['--root', root, 'run', '-b', bundle(['cat', '/proc/self/cgroup']), id]);
    expect(r.status, r.stderr).to.equal(0);
    const joins = lines.filter((l) => /write\(\d+<\/sys\/fs\/cgroup\/[^>]*\/tasks>, "0", 1\) = 1/.test(l));
    const hierarchies = joins.map((l) => l.match(/<\/sys\/fs\/cgroup\/([^/>]+)\//)[1]).sort();
    expect(hierarchies).to.deep.equal(v1Hierarchies().sort());
    expect(lines.filter((l) => /cgroup\.procs/.test(l) && /O_WR|write\(/.test(l))).to.deep.equal([]);
    // And from inside: the process is in the container's cgroup in each of them.
    for (const line of mountedV1Lines(r.stdout)) expect(line).to.match(new RegExp(`/${id}$`));
  });

  it('exec: the exec\'d process joins the same way', () => {
    const id = h.uniqueId('joinx');
    h.cli(root, ['run', '-d', '-b', bundle(['sleep', '60']), id]);
    try {
      const { r, lines } = traced(['--root', root, 'exec', id, 'cat', '/proc/self/cgroup']);
      expect(r.status, r.stderr).to.equal(0);
      expect(lines.filter((l) => /\/tasks>, "0", 1\) = 1/.test(l))).to.have.lengthOf(v1Hierarchies().length);
      expect(lines.filter((l) => /cgroup\.procs/.test(l) && /O_WR|write\(/.test(l))).to.deep.equal([]);
      for (const line of mountedV1Lines(r.stdout)) expect(line).to.match(new RegExp(`/${id}$`));
    } finally {
      h.cli(root, ['delete', '--force', id]);
    }
  });

  describe('ts-oci-init checks the fd it is given', () => {
    const dir = `/sys/fs/cgroup/pids/ts-oci-join-probe-${process.pid}`;
    const fds = [];
    before(() => fs.mkdirSync(dir));
    after(() => {
      for (const fd of fds.splice(0)) fs.closeSync(fd);
      fs.rmdirSync(dir);
    });
    const open = (file, flags) => {
      const fd = fs.openSync(file, flags);
      fds.push(fd);
      return fd;
    };
    const run = (ops, extraFds) => runPlan(helper, ops, { wrap: isolated, stdio: ['ignore', 'pipe', 'pipe'], extraFds });
    const exec = { op: 'exec', args: ['/bin/cat', '/proc/self/cgroup'], env: [], preserveFds: 0 };

    it('joins the cgroup of a write-only tasks fd, and closes it before the exec', async () => {
      const r = await run([{ op: 'cgroupJoin', fd: 4, path: `${dir}/tasks` }, { ...exec, args: ['/bin/sh', '-c', 'cat /proc/self/cgroup; ls /proc/self/fd'] }],
        [open(`${dir}/tasks`, 'w')]);
      expect(r.frames.filter((f) => f.frame === 'error'), r.stderr).to.deep.equal([]);
      expect(r.stdout).to.match(new RegExp(`:pids:/ts-oci-join-probe-${process.pid}\n`));
      expect(r.stdout.split('\n').filter((l) => /^\d+$/.test(l))).to.deep.equal(['0', '1', '2', '3']);
    });

    const notCgroup = { errno: 22, syscall: 'write', detail: 'fd 4 is not a write-only cgroup v1 file' };
    for (const [what, fd, extra, expected] of [
      ['the sync socket', 3, () => [], { errno: 9, syscall: 'write', detail: 'cgroup fd 3 is not a descriptor of the helper' }],
      ['a read-only tasks fd', 4, () => [open(`${dir}/tasks`, 'r')], notCgroup],
      ['a file outside cgroupfs', 4, () => [open('/dev/null', 'w')], notCgroup],
      ['a closed fd', 7, () => [], { errno: 9, syscall: 'fstat' }],
    ]) {
      it(`refuses ${what}, naming the path it was sent, and execs nothing`, async () => {
        const r = await run([{ op: 'cgroupJoin', fd, path: `${dir}/tasks` }, exec], extra());
        const error = r.frames.find((f) => f.frame === 'error');
        expect(error, r.stderr).to.include({ ...expected, path: `${dir}/tasks` });
        expect(r.stdout).to.equal('');
        expect(r.code).to.equal(1);
      });
    }
  });
});
