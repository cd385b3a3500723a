'use strict';
// Where the seccomp filter goes in the plan (lib/plan/seccomp.ts) and how
// it is encoded for ts-oci-init.
const { expect } = require('chai');
const { buildLaunchPlan } = require('../../../dist/plan/build');
const { processSetupOps } = require('../../../dist/plan/process');
const { seccompPlacement } = require('../../../dist/plan/seccomp');
const { encodePlan } = require('../../../dist/plan/encode');
const { fixture } = require('../../fixtures/configs/make-bundle');

const compiled = (over = {}) => ({ bpf: Buffer.alloc(16, 1), flags: 0, notify: false, skipped: [], ...over });
const ctx = (seccomp) => ({
  bundle: '/b', rootfs: '/b/rootfs', statePath: '/s', fifoPath: '/s/exec.fifo', noPivot: false, preserveFds: 0,
  hookState: (s) => `{"status":"${s}"}`, cgroup: undefined, seccomp,
});

function plan(edit, seccomp = compiled()) {
  const c = fixture('minimal');
  if (edit) edit(c);
  return buildLaunchPlan(c, ctx(seccomp)).ops;
}
const kinds = (ops) => ops.map((o) => o.op);
const after = (ops, name) => kinds(ops)[kinds(ops).indexOf('seccomp') + 1] === name;

describe('plan/seccomp: placement', () => {
  it('noNewPrivileges: kept for EXEC, after startContainer hooks, as the last op before exec', () => {
    const ops = plan((c) => {
      c.process.noNewPrivileges = true;
      c.hooks = { startContainer: [{ path: '/bin/true' }] };
    });
    const i = kinds(ops).indexOf('seccomp');
    expect(ops[i].atExec).to.equal(true);
    expect(kinds(ops).slice(i - 1)).to.deep.equal(['hook', 'seccomp', 'exec']);
  });

  it('without noNewPrivileges: loaded before the credential steps drop CAP_SYS_ADMIN (runc, crun)', () => {
    const ops = plan((c) => { c.process.noNewPrivileges = false; });
    const i = kinds(ops).indexOf('seccomp');
    expect(ops[i].atExec).to.equal(false);
    expect(after(ops, 'capBounding')).to.equal(true);
    expect(kinds(ops).filter((k) => k === 'seccomp')).to.have.length(1);
  });

  it('without noNewPrivileges but with CAP_SYS_ADMIN kept: still deferred to EXEC', () => {
    const p = { noNewPrivileges: false, capabilities: { effective: ['CAP_SYS_ADMIN'], permitted: ['CAP_SYS_ADMIN'] } };
    expect(seccompPlacement(compiled(), p, true)).to.equal('atExec');
  });

  it('NOTIFY with noNewPrivileges: loaded right before CREATED, while the runtime still listens', () => {
    const ops = plan((c) => { c.process.noNewPrivileges = true; }, compiled({ notify: true, flags: 8 }));
    const i = kinds(ops).indexOf('seccomp');
    expect(ops[i]).to.include({ atExec: false, flags: 8 });
    expect(kinds(ops).slice(i - 1, i + 2)).to.deep.equal(['resolveExec', 'seccomp', 'created']);
  });

  it('NOTIFY for a plan without CREATED (exec): EXEC hands the listener over itself', () => {
    expect(seccompPlacement(compiled({ notify: true }), { noNewPrivileges: true }, false)).to.equal('atExec');
  });

  it('processSetupOps is reusable: the early position only, the rest is the caller\'s', () => {
    const p = fixture('minimal').process;
    expect(kinds(processSetupOps({ ...p, noNewPrivileges: false }, compiled()))).to.include('seccomp');
    expect(kinds(processSetupOps({ ...p, noNewPrivileges: true }, compiled()))).to.not.include('seccomp');
    expect(kinds(processSetupOps(p))).to.not.include('seccomp');
  });

  it("exec's plan gets the container's filter at the same positions, a listener at EXEC", () => {
    const { buildExecPlan } = require('../../../dist/plan/exec-plan');
    const config = fixture('minimal');
    const execPlan = (p, s) => buildExecPlan(config, { ...config.process, ...p }, { initPidfd: 4, preserveFds: 0, seccomp: s }).ops;
    const late = execPlan({ noNewPrivileges: true }, compiled({ notify: true, flags: 8 }));
    expect(kinds(late).slice(-2)).to.deep.equal(['seccomp', 'exec']);
    expect(late[late.length - 2]).to.include({ atExec: true, flags: 8 });
    const early = execPlan({ noNewPrivileges: false }, compiled());
    expect(after(early, 'capBounding')).to.equal(true);
    expect(kinds(execPlan({}, undefined))).to.not.include('seccomp');
  });

  it('no profile, no op', () => {
    expect(kinds(plan(undefined, null))).to.not.include('seccomp');
  });

  it('encodes bpf (binary), flags and atExec', () => {
    const bpf = Buffer.from([0, 0, 0, 0, 0, 0, 0xff, 0x7f]);
    const enc = encodePlan([{ op: 'seccomp', bpf, flags: 9, atExec: true }]);
    // header 8, op head 4 (kind 31, 3 args), 's' + len + 8 bytes, two 'i' args.
    expect(enc.readUInt16LE(8)).to.equal(31);
    expect(enc.readUInt16LE(10)).to.equal(3);
    expect(enc.subarray(12, 17)).to.deep.equal(Buffer.from([0x73, 8, 0, 0, 0]));
    expect(enc.subarray(17, 25)).to.deep.equal(bpf);
    expect(enc.readBigInt64LE(26)).to.equal(9n);
    expect(enc.readBigInt64LE(35)).to.equal(1n);
  });
});
