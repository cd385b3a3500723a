'use strict';
// The library, run by an ordinary user: the first EACCES says that ts-oci
// needs root, and keeps its SystemError fields.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const { withRootHint, needsRoot, inContainerUserns, ROOT_HINT } = require('../../dist/root-hint');

const index = path.resolve(__dirname, '../../dist/index.js');

describe('root hint (library)', () => {
  let dir;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-root-hint-'))));
  afterEach(() => {
    fs.chmodSync(dir, 0o700);
    for (const e of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, e), 0o700);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('Container.list and Container.load as an ordinary user: EACCES with the hint, fields intact', () => {
    fs.chmodSync(dir, 0o755);
    const root = path.join(dir, 'root');
    fs.mkdirSync(root, { mode: 0o000 });
    const asUser = process.getuid() === 0 ? { uid: 65534, gid: 65534 } : {};
    const probe = `
      const { Container } = require(${JSON.stringify(index)});
      const report = (e) => ({ message: e.message, code: e.code });
      Promise.allSettled([Container.list({ root: ${JSON.stringify(root)} }), Container.load('c1', { root: ${JSON.stringify(root)} })])
        .then((r) => console.log(JSON.stringify(r.map((x) => x.status === 'rejected' ? report(x.reason) : 'ok'))));`;
    const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8', ...asUser });
    expect(r.stderr).to.equal('');
    const [list, load] = JSON.parse(r.stdout);
    expect(list).to.deep.equal({ code: 'EACCES', message: `EACCES: permission denied, scandir '${root}' (${ROOT_HINT})` });
    expect(load.code).to.equal('EACCES');
    expect(load.message.endsWith(` (${ROOT_HINT})`), load.message).to.equal(true);
  });

  it('only EACCES/EPERM, only for a non-root caller, not inside the container\'s user namespace, once', async () => {
    expect(needsRoot({ code: 'EPERM' }, 1000)).to.equal(true);
    expect(needsRoot({ code: 'EPERM' }, 0)).to.equal(false);
    expect(needsRoot({ code: 'ENOENT' }, 1000)).to.equal(false);
    // Met inside the container's own user namespace: root outside would not help.
    expect(needsRoot(inContainerUserns({ code: 'EPERM' }), 1000)).to.equal(false);
    const inside = inContainerUserns(Object.assign(new Error('mount mqueue on /dev/mqueue: EPERM'), { code: 'EPERM' }));
    expect((await withRootHint(() => Promise.reject(inside)).catch((e) => e)).message).to.equal('mount mqueue on /dev/mqueue: EPERM');
    const other = Object.assign(new Error('x: ENOENT'), { code: 'ENOENT' });
    const caught = await withRootHint(() => Promise.reject(other)).catch((e) => e);
    expect(caught).to.equal(other);
    expect(caught.message).to.equal('x: ENOENT');
  });
});
