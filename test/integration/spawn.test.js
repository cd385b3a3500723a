'use strict';
// How the init is cloned: in Node's own memory while the cloning thread
// sleeps (CLONE_VM | CLONE_VFORK), so a large heap costs the clone nothing;
// a child that waits for its user namespace's maps gets a copy instead, as
// the thread that would write them cannot sleep.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

describe('spawn: how the init is cloned', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  /** The clone3 calls of a `run`, as strace prints them. */
  function clones(bundle) {
    const trace = path.join(h.work, `strace-spawn-${process.pid}`);
    try {
      const r = spawnSync('strace', ['-f', '-qq', '-o', trace, '-e', 'trace=clone3', '-e', 'signal=none',
        h.bin, '--root', root, 'run', '-b', bundle, h.uniqueId('spawn')], { encoding: 'utf8', timeout: 60000 });
      return { r, calls: fs.readFileSync(trace, 'utf8').split('\n').filter((l) => /clone3\(\{flags=[^}]*CLONE_PIDFD/.test(l)) };
    } finally {
      fs.rmSync(trace, { force: true });
    }
  }

  it('shares Node\'s memory until the exec, on a stack of its own, and the container runs', () => {
    const { r, calls } = clones(h.makeBundle((c) => (c.process.args = ['echo', 'cloned'])));
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.equal('cloned\n');
    expect(calls).to.have.lengthOf(1);
    expect(calls[0]).to.match(/[=|]CLONE_VM\|/);
    expect(calls[0]).to.match(/\|CLONE_VFORK\|/);
    expect(calls[0]).to.match(/CLONE_NEWPID/);
    expect(calls[0]).to.match(/stack=0x[0-9a-f]+, stack_size=0x10000/);
    expect(fs.readdirSync(root)).to.deep.equal([]);
  });

  it('a child held for its user namespace\'s maps is a copy (no CLONE_VM)', () => {
    const map = [{ containerID: 0, hostID: 0, size: 65536 }];
    const bundle = h.makeBundle((c) => {
      c.process.args = ['true'];
      c.linux.namespaces.push({ type: 'user' });
      c.linux.uidMappings = map;
      c.linux.gidMappings = map;
    });
    const { r, calls } = clones(bundle);
    expect(r.status, r.stderr).to.equal(0);
    expect(calls).to.have.lengthOf(1);
    expect(calls[0]).to.match(/CLONE_NEWUSER/);
    expect(calls[0]).to.not.match(/CLONE_VM/);
  });
});
