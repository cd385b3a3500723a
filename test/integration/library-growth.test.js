'use strict';
// Many lifecycles in one process leave nothing behind that they made: no JS
// object (heap snapshot ids: made after the mark and still alive), no fd,
// zombie, state dir or cgroup. Counts, not times; the bench reports the same
// over 1000 lifecycles.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

describe('library: no growth across lifecycles', function () {
  this.timeout(120000);
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  it('200 create → start → wait → delete leave no JS object, fd or zombie of theirs', () => {
    const bundle = h.makeBundle((c) => (c.process.args = ['true']));
    const script = `
      const fs = require('fs');
      const { Container } = require(${JSON.stringify(path.join(h.repo, 'dist/index.js'))});
      const { heapMark, survivorsSince } = require(${JSON.stringify(path.join(h.repo, 'scripts/heap-growth.js'))});
      const one = async (id) => { const c = await Container.create({ id, bundle: ${JSON.stringify(bundle)}, root: ${JSON.stringify(root)} });
        await c.start(); await c.wait(); await c.delete(); };
      const children = () => fs.readdirSync('/proc').filter((p) => /^\\d+$/.test(p)).filter((p) => {
        try { return fs.readFileSync('/proc/' + p + '/stat', 'utf8').split(') ')[1].split(' ')[1] === String(process.pid); } catch { return false; } }).length;
      (async () => {
        for (let i = 0; i < 20; i++) await one('warm-' + i);
        const fds = fs.readdirSync('/proc/self/fd').length;
        const mark = heapMark();
        for (let i = 0; i < 200; i++) await one('grow-' + i);
        const survivors = survivorsSince(mark);
        console.log(JSON.stringify({ survivors, fds: fs.readdirSync('/proc/self/fd').length - fds, children: children() }));
      })().catch((e) => { console.error(e.stack); process.exitCode = 1; });`;
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8', timeout: 110000 });
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    const out = JSON.parse(r.stdout);
    // A handful may be V8's or Node's own (a timer list, a cached string): never one per lifecycle.
    expect(out.survivors.total, JSON.stringify(out.survivors.byName)).to.be.below(50);
    expect(out.fds).to.equal(0);
    expect(out.children).to.equal(0);
    expect(fs.readdirSync(root)).to.deep.equal([]);
  });

  it('the count can fail: objects kept by each lifecycle are found', () => {
    const script = `
      const { heapMark, survivorsSince } = require(${JSON.stringify(path.join(h.repo, 'scripts/heap-growth.js'))});
      const kept = [];
      const mark = heapMark();
      for (let i = 0; i < 200; i++) kept.push({ i });
      console.log(survivorsSince(mark).total);`;
    const r = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    expect(Number(r.stdout)).to.be.at.least(200);
  });
});
