'use strict';
// The VM itself (scripts/vm/): the layout it was booted for is the one
// mounted, pure, and a container runs on it. Run inside the VM only
// (npm run test:vm), as root.
const fs = require('fs');
const { expect } = require('chai');
const h = require('../helpers/integration');
const cg = require('../helpers/cgroup-layout');

describe('VM boot', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  it('has the pure layout it was booted for, and the scratch space is not the checkout', () => {
    const kind = cg.layoutKind();
    expect(kind).to.equal(process.env.TS_OCI_VM_LAYOUT);
    const versions = cg.hierarchies().map((x) => x.version);
    expect(versions).to.not.include(kind === 'v2' ? 1 : 2);
    expect(h.work.startsWith(h.repo)).to.equal(false);
  });

  it('lib/cgroups detects the same layout', () => {
    const { detectLayout } = require('../../dist/cgroups/mountinfo.js');
    expect(detectLayout(fs.readFileSync('/proc/self/mountinfo', 'utf8')).kind).to.equal(cg.layoutKind());
  });

  it('runs a container', () => {
    const out = h.runOk(root, 'echo hello from $(cat /proc/self/cgroup | wc -l) hierarchies', cg.forThisLayout);
    expect(out.trim()).to.equal(`hello from ${cg.hierarchies().length} hierarchies`);
  });
});
