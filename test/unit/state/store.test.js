'use strict';
const { expect } = require('chai');
const fs = require('fs');
const os = require('os');
const path = require('path');
const store = require('../../../dist/state/store');
const { ConfigError, NotFoundError, StateError } = require('../../../dist/errors');

function record(id, extra = {}) {
  return {
    ociVersion: '1.3.0', id, pid: 42, status: 'created', bundle: '/b', rootfs: '/b/rootfs',
    created: '2024-01-01T00:00:00.000000000Z', owner: '', startTime: 1234, startSteps: {}, ...extra,
  };
}

describe('state/store', () => {
  let tmp;
  let root;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-state-'));
    root = path.join(tmp, 'run', 'ts-oci');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('validates the id before touching the filesystem', () => {
    expect(() => store.stateDir(root, '../x')).to.throw(ConfigError, 'invalid id format: ../x');
    expect(() => store.createStateDir(root, 'a/b')).to.throw(ConfigError);
    expect(fs.existsSync(root)).to.equal(false);
  });

  it('creates the root 0700 and the id dir once', () => {
    const dir = store.createStateDir(root, 'c1');
    expect(dir).to.equal(path.join(root, 'c1'));
    expect(fs.statSync(root).mode & 0o777).to.equal(0o700);
    expect(fs.statSync(dir).isDirectory()).to.equal(true);
    expect(() => store.createStateDir(root, 'c1')).to.throw(StateError, 'container with given ID already exists');
  });

  it('writes atomically and reads back', () => {
    const dir = store.createStateDir(root, 'c1');
    store.writeState(dir, record('c1'));
    store.writeState(dir, record('c1', { status: 'running', annotations: { a: 'b' } }));
    expect(store.readState(root, 'c1')).to.deep.include({ status: 'running', pid: 42, startTime: 1234 });
    expect(store.readState(root, 'c1').annotations).to.deep.equal({ a: 'b' });
    expect(fs.readdirSync(dir)).to.deep.equal([store.STATE_FILE]);
    expect(fs.statSync(path.join(dir, store.STATE_FILE)).mode & 0o777).to.equal(0o600);
  });

  it('leaves no temp file when the write fails', () => {
    const dir = store.createStateDir(root, 'c1');
    const circular = record('c1');
    circular.self = circular;
    expect(() => store.writeState(dir, circular)).to.throw(TypeError);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it("reports a missing container with runc's phrase", () => {
    expect(() => store.readState(root, 'nope')).to.throw(NotFoundError, 'container does not exist');
    store.createStateDir(root, 'half');
    expect(() => store.readState(root, 'half')).to.throw(NotFoundError, 'does not exist');
  });

  it('reports a corrupt record after one retry', () => {
    const dir = store.createStateDir(root, 'c1');
    fs.writeFileSync(path.join(dir, store.STATE_FILE), '{"id":"c1",');
    expect(() => store.readState(root, 'c1')).to.throw(StateError, /invalid state of container c1/);
    fs.writeFileSync(path.join(dir, store.STATE_FILE), JSON.stringify(record('other')));
    expect(() => store.readState(root, 'c1')).to.throw(StateError, /another container/);
  });

  it('lists readable records by id, skipping half-created dirs and junk', () => {
    expect(store.listStates(root)).to.deep.equal([]);
    for (const id of ['b', 'a']) store.writeState(store.createStateDir(root, id), record(id));
    store.createStateDir(root, 'creating');
    fs.writeFileSync(path.join(root, '.junk'), '');
    expect(store.listStates(root).map((r) => r.id)).to.deep.equal(['a', 'b']);
  });

  it('removes a state dir, idempotently', () => {
    const dir = store.createStateDir(root, 'c1');
    store.writeState(dir, record('c1'));
    fs.writeFileSync(path.join(dir, store.EXEC_FIFO), '');
    store.removeStateDir(root, 'c1');
    expect(fs.existsSync(dir)).to.equal(false);
    store.removeStateDir(root, 'c1');
  });
});

describe('state/store writeState', () => {
  it('replaces state.json through a temp file of its own, leaves no temp behind, and never fsyncs (as runc)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-store-'));
    const fsync = fs.fsyncSync;
    fs.fsyncSync = () => { throw new Error('fsync called'); };
    try {
      const dir = store.createStateDir(root, 'c1');
      store.writeState(dir, record('c1'));
      store.writeState(dir, { ...record('c1'), status: 'running' });
      expect(fs.readdirSync(dir)).to.deep.equal(['state.json']);
      expect(store.readState(root, 'c1').status).to.equal('running');
      // Temp files a killed writer with this pid left (its next names too) are stepped over.
      for (let n = 1; n <= 500; n++) fs.writeFileSync(path.join(dir, `.state.json.${process.pid}.${n}`), 'stale');
      store.writeState(dir, { ...record('c1'), status: 'stopped' });
      expect(store.readState(root, 'c1').status).to.equal('stopped');
    } finally {
      fs.fsyncSync = fsync;
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
