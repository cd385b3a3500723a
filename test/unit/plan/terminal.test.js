'use strict';
const { expect } = require('chai');
const { buildLaunchPlan } = require('../../../dist/plan/build');
const { opArgs } = require('../../../dist/plan/encode');
const { consoleOps } = require('../../../dist/plan/terminal');
const { ConfigError } = require('../../../dist/errors');
const { defaultSpec } = require('../../../dist/spec/default');

const fail = (field, message) => {
  throw new ConfigError(message, '/b/config.json', field);
};

function context() {
  return {
    bundle: '/b', rootfs: '/b/rootfs', statePath: '/run/ts-oci/c1', fifoPath: '/run/ts-oci/c1/exec.fifo',
    noPivot: false, preserveFds: 0, hookState: (s) => `{"status":"${s}"}`, cgroup: undefined,
  };
}

describe('plan/terminal: the console step', () => {
  it('is absent without process.terminal', () => {
    expect(consoleOps({ terminal: false, args: ['sh'], cwd: '/' }, fail)).to.deep.equal([]);
    expect(consoleOps({ args: ['sh'], cwd: '/' }, fail)).to.deep.equal([]);
  });

  it('names the devpts ptmx and /dev/console, the size and the owner', () => {
    const p = { terminal: true, args: ['sh'], cwd: '/', consoleSize: { height: 30, width: 100 }, user: { uid: 1000, gid: 1000 } };
    expect(consoleOps(p, fail)).to.deep.equal([
      { op: 'console', ptmx: '/dev/pts/ptmx', console: '/dev/console', rows: 30, cols: 100, uid: 1000 },
    ]);
    // exec's process shares the container's /dev/console.
    expect(consoleOps(p, fail, false)[0].console).to.equal('');
  });

  it('applies consoleSize only when both sides are set (as runc), and refuses what a winsize cannot hold', () => {
    const size = (consoleSize) => consoleOps({ terminal: true, args: ['sh'], cwd: '/', consoleSize }, fail)[0];
    expect(size({ height: 0, width: 80 })).to.include({ rows: 0, cols: 0 });
    expect(size(undefined)).to.include({ rows: 0, cols: 0, uid: 0 });
    expect(() => size({ height: 65536, width: 80 })).to.throw(ConfigError, 'height 65536 is larger than 65535')
      .with.property('field', '/process/consoleSize/height');
  });

  it('encodes as kind 80 with its five arguments', () => {
    const [kind, args] = opArgs({ op: 'console', ptmx: '/dev/pts/ptmx', console: '', rows: 2, cols: 3, uid: -1 });
    expect(kind).to.equal(80);
    expect(args).to.deep.equal([
      { s: Buffer.from('/dev/pts/ptmx') }, { s: Buffer.alloc(0) }, { i: 2n }, { i: 3n }, { i: -1n },
    ]);
  });

  it('runs after pivot_root, before the masks, read-only remounts and credentials (runc\'s order)', () => {
    const spec = defaultSpec();
    const kinds = buildLaunchPlan(spec, context()).ops.map((o) => o.op);
    const at = (k) => kinds.indexOf(k);
    expect(kinds.filter((k) => k === 'console')).to.have.length(1);
    expect(at('console')).to.be.above(at('pivotRoot'));
    for (const later of ['readonly', 'mask', 'remountRootReadonly', 'creds', 'caps', 'created']) {
      expect(at('console'), later).to.be.below(at(later));
    }
    spec.process.terminal = false;
    expect(buildLaunchPlan(spec, context()).ops.map((o) => o.op)).to.not.include('console');
  });
});

describe('plan/exec-plan: exec -t', () => {
  const { buildExecPlan } = require('../../../dist/plan/exec-plan');
  it('a pty from the container\'s devpts once inside its namespaces, while still root; no /dev/console bind', () => {
    const cfg = { ociVersion: '1.3.0', linux: { namespaces: [{ type: 'pid' }, { type: 'mount' }] } };
    const p = { args: ['sh'], cwd: '/', terminal: true, consoleSize: { height: 24, width: 80 }, user: { uid: 7, gid: 7 } };
    const ops = buildExecPlan(cfg, p, { initPidfd: 4, preserveFds: 0, fail }).ops;
    const kinds = ops.map((o) => o.op);
    // execSyncMarker (a switch for EXEC, no work of its own) may come first.
    const joined = kinds.indexOf('setnsPidfd');
    expect(kinds.slice(joined, joined + 3)).to.deep.equal(['setnsPidfd', 'forkPidns', 'console']);
    expect(kinds.slice(0, joined).every((k) => k === 'execSyncMarker')).to.equal(true);
    expect(kinds.indexOf('console')).to.be.below(kinds.indexOf('creds'));
    const op = ops[joined + 2];
    expect(op).to.deep.equal({ op: 'console', ptmx: '/dev/pts/ptmx', console: '', rows: 24, cols: 80, uid: 7 });
    expect(buildExecPlan(cfg, { ...p, terminal: false }, { initPidfd: 4, preserveFds: 0, fail }).ops.map((o) => o.op))
      .to.not.include('console');
  });
});
