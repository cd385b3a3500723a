'use strict';
// The cgroup2 device program in the kernel: a generated program attached to
// a test cgroup on the cgroup2 hierarchy (on hybrid hosts too, where
// cgroup2 has no controllers). Needs a cgroup2 hierarchy; a container's
// rules on every layout are in device-rules.test.js.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

function cgroup2Mount() {
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (right && right.startsWith('cgroup2 ')) return left.split(' ')[4];
  }
  return undefined;
}

describe('device filter (eBPF, cgroup2)', () => {
  before(() => h.requirePrerequisites());

  it('a generated program on a test cgroup allows and denies open and mknod as its rules say, and is replaced in place', function () {
    const mount = cgroup2Mount();
    if (!mount) throw new Error('this test needs a cgroup2 hierarchy (hybrid or v2 host)');
    const { installDeviceFilter, nativeDeviceOps } = require('../../dist/cgroups/device-program');
    const { DEFAULT_ALLOWED_DEVICES } = require('../../dist/cgroups/allowed-devices');
    const dir = path.join(mount, `tsoci-devfilter-${process.pid}`);
    const scratch = fs.mkdtempSync(path.join(h.work, 'dev-'));
    fs.mkdirSync(dir);
    try {
      const ops = nativeDeviceOps();
      installDeviceFilter(dir, [{ allow: false, access: 'rwm' }, ...DEFAULT_ALLOWED_DEVICES], ops);
      const first = ops.query(dir);
      expect(first).to.have.length(1);
      // A shell moved into the cgroup tries: /dev/null (allowed), a /dev/zero-like node of a
      // non-default number (1:1 /dev/mem: denied before any driver runs), mknod of a block device (denied).
      const probe = (cmds) => spawnSync('sh', ['-c', `echo $$ > ${dir}/cgroup.procs; ${cmds}`], { encoding: 'utf8' });
      const r = probe(`echo x > /dev/null && echo null-ok; mknod ${scratch}/mem c 1 1 && echo mknod-c-ok; (true < ${scratch}/mem) 2>/dev/null && echo mem-open || echo mem-denied; mknod ${scratch}/blk b 7 0 2>/dev/null && echo mknod-b-ok || echo mknod-b-denied`);
      expect(r.stdout.split('\n').filter(Boolean)).to.deep.equal(['null-ok', 'mknod-c-ok', 'mem-denied', 'mknod-b-ok']);
      expect(probe(`true < ${scratch}/mem`).stderr).to.match(/Operation not permitted/);
      // Replaced (BPF_F_REPLACE): still one program, a new one, and the new rules hold.
      installDeviceFilter(dir, [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 250, minor: 0, access: 'rw' }], ops);
      const second = ops.query(dir);
      expect(second).to.have.length(1);
      expect(second[0]).to.not.equal(first[0]);
      fs.rmSync(path.join(scratch, 'mem'));
      const after = probe(`mknod ${scratch}/x c 250 0 2>&1; echo x > /dev/null 2>&1 || echo null-denied`);
      expect(after.stdout).to.match(/Operation not permitted/); // mknod no longer allowed (no "c *:* m")
      expect(after.stdout).to.match(/null-denied/);
    } finally {
      fs.rmdirSync(dir);
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('loads while the loading thread is flooded with signals (the CPU profiler\'s SIGPROF made the verifier give up with EAGAIN)', () => {
    const root = h.stateRoot();
    const bundle = h.makeBundle((c) => (c.process.args = ['true']));
    const profiles = fs.mkdtempSync(path.join(h.work, 'prof-'));
    const script = `const { Container } = require(${JSON.stringify(path.join(h.repo, 'dist/index.js'))});
      (async () => {
        for (let i = 0; i < 5; i++) {
          const c = await Container.create({ id: 'flood-' + i, bundle: ${JSON.stringify(bundle)}, root: ${JSON.stringify(root)} });
          await c.start(); await c.wait(); await c.delete();
        }
      })().catch((e) => { console.error(e.message); process.exitCode = 1; });`;
    try {
      const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', profiles, '--cpu-prof-interval', '10', '-e', script],
        { encoding: 'utf8', timeout: 60000 });
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
    } finally {
      fs.rmSync(profiles, { recursive: true, force: true });
      h.cleanup(root);
    }
  });
});
