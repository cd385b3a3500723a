'use strict';
// A container's device rules from inside, on whatever enforces them on
// this layout: the v1 devices controller, the cgroup2 eBPF program, or
// both (hybrid); and update's replacement of them.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

describe('device rules of a container', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  it("a container's device rules hold from inside, a cgroup2 directory carries the program, and update swaps it", () => {
    const bundle = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      c.linux.resources = { devices: [{ allow: false, access: 'rwm' }] };
    });
    const id = h.uniqueId('dev');
    expect(h.cli(root, ['run', '-d', '-b', bundle, id]).stderr).to.equal('');
    try {
      const dirs = JSON.parse(fs.readFileSync(path.join(root, id, 'state.json'), 'utf8')).cgroupDirs;
      const { nativeDeviceOps } = require('../../dist/cgroups/device-program');
      const programs = () => (dirs.v2 ? nativeDeviceOps().query(dirs.v2.path) : []);
      const before = programs();
      if (dirs.v2) expect(before).to.have.length(1);
      const inside = (cmd) => h.cli(root, ['exec', id, 'sh', '-c', cmd]);
      // 250:0 has no driver: once the device rules allow it, open fails with ENXIO (ENODEV on older kernels) instead of EPERM.
      expect(inside('echo x > /dev/null && echo null-ok').stdout).to.equal('null-ok\n');
      // The node is made from the host (the container has no CAP_MKNOD by default).
      expect(spawnSync('mknod', [path.join(bundle, 'rootfs/tmp/x'), 'c', '250', '0']).status).to.equal(0);
      expect(inside('true < /tmp/x').stderr).to.match(/Operation not permitted/);
      const rules = { devices: [{ allow: false, access: 'rwm' }, { allow: true, type: 'c', major: 250, minor: 0, access: 'rw' }] };
      expect(h.cli(root, ['update', '-r', '-', id], { input: JSON.stringify(rules) }).stderr).to.equal('');
      const allowed = inside('true < /tmp/x').stderr;
      expect(allowed).to.match(/No such device/);
      expect(allowed).to.not.match(/Operation not permitted/);
      if (dirs.v2) {
        const now = programs();
        expect(now).to.have.length(1);
        expect(now[0]).to.not.equal(before[0]);
      }
    } finally {
      h.cli(root, ['delete', '--force', id]);
    }
  });
});
