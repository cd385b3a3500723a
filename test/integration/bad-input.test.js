'use strict';
// Bad input: one clear line naming the file and field, a non-zero exit,
// and nothing left behind (state dir, cgroup, process).
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const h = require('../helpers/integration');

function cgroupLeftovers(id) {
  const found = [];
  for (const hier of fs.readdirSync('/sys/fs/cgroup')) {
    const base = path.join('/sys/fs/cgroup', hier);
    const walk = (dir, depth) => {
      if (depth > 4) return;
      let entries = [];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        if (!e.isDirectory()) continue;
        if (e.name === id) found.push(path.join(dir, e.name));
        else walk(path.join(dir, e.name), depth + 1);
      }
    };
    walk(base, 0);
  }
  return found;
}

describe('bad input leaves nothing behind', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  function expectCleanFailure(bundle, pattern, id = h.uniqueId('bad')) {
    const r = h.cli(root, ['create', '-b', bundle, id]);
    expect(r.status, r.stderr).to.not.equal(0);
    expect(r.stderr.trim().split('\n'), r.stderr).to.have.length(1);
    expect(r.stderr).to.match(pattern);
    expect(fs.existsSync(path.join(root, id)), 'state dir').to.equal(false);
    expect(cgroupLeftovers(id), 'cgroups').to.deep.equal([]);
    const ps = require('child_process').execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).to.not.contain(bundle);
    return r;
  }

  it('malformed JSON names the file, line and column', () => {
    const bundle = h.makeBundle();
    fs.writeFileSync(path.join(bundle, 'config.json'), '{\n  "ociVersion": "1.3.0",\n  oops\n}');
    expectCleanFailure(bundle, /config\.json: invalid JSON at line 3 column 3/);
  });

  it('a wrongly typed field is named', () => {
    const bundle = h.makeBundle((c) => (c.process.args = 'sh'));
    expectCleanFailure(bundle, /config\.json: \/process\/args: must be array/);
  });

  it('every schema error of a config at once, one line each naming file and field', () => {
    const bundle = h.makeBundle((c) => {
      c.process.args = 'sh';
      c.process.user.uid = -1;
      c.hooks = { prestart: [{ path: '/h', timeout: 0 }] };
    });
    const id = h.uniqueId('bad');
    const r = h.cli(root, ['create', '-b', bundle, id]);
    expect(r.status).to.equal(1);
    const file = path.join(bundle, 'config.json');
    expect(r.stderr.split('\n').filter(Boolean).sort()).to.deep.equal([
      `ts-oci: create ${id}: ${file}: /hooks/prestart/0/timeout: must be >= 1`,
      `ts-oci: create ${id}: ${file}: /process/args: must be array`,
      `ts-oci: create ${id}: ${file}: /process/user/uid: must be >= 0`,
    ]);
    expect(fs.existsSync(path.join(root, id)), 'state dir').to.equal(false);
    expect(cgroupLeftovers(id), 'cgroups').to.deep.equal([]);
  });

  it('a missing bundle or rootfs is named', () => {
    expectCleanFailure('/nonexistent-bundle', /bundle \/nonexistent-bundle: no such directory/);
    const bundle = h.makeBundle((c) => (c.root.path = 'no-such-rootfs'));
    expectCleanFailure(bundle, /no-such-rootfs/);
  });

  it('a failing mount is reported with the step and errno, and undone', () => {
    const bundle = h.makeBundle((c) => c.mounts.push({ destination: '/mnt/x', type: 'nosuchfs', source: 'none' }));
    expectCleanFailure(bundle, /^ts-oci: create bad-[\d-]+: mount none on \/mnt\/x \(type nosuchfs\): ENODEV: unknown filesystem type\n$/);
  });

  it('a missing executable is reported at create with runc\'s phrase', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['no-such-command']));
    expectCleanFailure(bundle, /exec: "no-such-command": executable file not found in \$PATH/);
  });

  it('a missing or non-executable path is reported in runc\'s (Go\'s LookPath) words, which engines map to 127 and 126', () => {
    const missing = h.makeBundle((c) => (c.process.args = ['/no/such']));
    expectCleanFailure(missing, /: unable to start container process: exec: "\/no\/such": stat \/no\/such: no such file or directory\n$/);
    const notExecutable = h.makeBundle((c) => (c.process.args = ['/etc/passwd']));
    expectCleanFailure(notExecutable, /: unable to start container process: exec: "\/etc\/passwd": permission denied\n$/);
  });

  it('invalid ids are refused and nothing is created outside --root', () => {
    const bundle = h.makeBundle();
    for (const id of ['..', '.', 'a/b', '../x', '', 'x'.repeat(1025)]) {
      const r = h.cli(root, ['create', '-b', bundle, id]);
      expect(r.status, id).to.not.equal(0);
      expect(r.stderr, id).to.match(/invalid id format|missing required argument/);
    }
    expect(fs.readdirSync(root)).to.deep.equal([]);
    expect(fs.existsSync(path.join(path.dirname(root), 'x'))).to.equal(false);
  });

  it('an unknown id and an invalid signal are clear errors', () => {
    expect(h.cli(root, ['kill', 'nope', 'KILL']).stderr).to.contain('container does not exist');
    expect(h.cli(root, ['delete', 'nope']).stderr).to.contain('does not exist');
    const bundle = h.makeBundle((c) => (c.process.args = ['sleep', '100']));
    const id = h.uniqueId();
    expect(h.cli(root, ['create', '-b', bundle, id]).status).to.equal(0);
    const r = h.cli(root, ['kill', id, 'SIGNOPE']);
    expect(r.status).to.not.equal(0);
    expect(r.stderr).to.equal(`ts-oci: kill ${id}: invalid signal: SIGNOPE\n`);
    expect(h.cli(root, ['delete', id]).status).to.equal(0);
  });

  it('an unknown command or flag is a usage error', () => {
    expect(h.cli(root, ['frobnicate']).status).to.equal(2);
    expect(h.cli(root, ['create', '--frob', 'x']).status).to.equal(2);
    expect(h.cli(root, ['--log-format', 'xml', 'list']).stderr).to.contain('invalid --log-format');
    expect(h.cli(root, ['--cgroup-manager', 'foo', 'list']).stderr).to.contain('invalid --cgroup-manager');
  });
});
