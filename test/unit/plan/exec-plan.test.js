'use strict';
const { expect } = require('chai');
const { buildExecPlan, containerNamespaces } = require('../../../dist/plan/exec-plan');
const { encodePlan } = require('../../../dist/plan/encode');
const { describeOp } = require('../../../dist/plan/describe');
const { NAMESPACE_FLAGS } = require('../../../dist/plan/namespaces');

const config = (namespaces) => ({
  ociVersion: '1.3.0',
  linux: { namespaces },
  hooks: { createContainer: [{ path: '/bin/true' }], startContainer: [{ path: '/bin/true' }] },
});
const fail = (field, message) => {
  throw new Error(`${field}: ${message}`);
};
const process = { args: ['sh'], cwd: '/w', env: ['PATH=/bin'], user: { uid: 1, gid: 2 }, capabilities: {}, noNewPrivileges: true };

describe('plan/exec-plan: joining a running container', () => {
  it('one setns on the init pidfd with every namespace, fork into the pid namespace, then the process steps', () => {
    const cfg = config([{ type: 'pid' }, { type: 'mount' }, { type: 'network', path: '/run/netns/x' }, { type: 'uts' }, { type: 'ipc' }, { type: 'cgroup' }]);
    const plan = buildExecPlan(cfg, process, { initPidfd: 4, preserveFds: 0, fail });
    const nstype = ['pid', 'mount', 'network', 'uts', 'ipc', 'cgroup'].reduce((f, t) => f | NAMESPACE_FLAGS[t], 0);
    expect(plan.ops[0]).to.deep.equal({ op: 'execSyncMarker' });
    expect(plan.ops[1]).to.deep.equal({ op: 'setnsPidfd', fd: 4, nstype, ns: ['mount', 'pid', 'network', 'uts', 'ipc', 'cgroup'] });
    expect(plan.ops[2]).to.deep.equal({ op: 'forkPidns' });
    expect(plan.forksIntoPidNamespace).to.equal(true);
    const names = plan.ops.map((o) => o.op);
    expect(names.slice(3)).to.deep.equal(['capBounding', 'keepCaps', 'creds', 'keepCaps', 'caps', 'umask', 'chdir', 'noNewPrivs', 'resolveExec', 'exec']);
    // No create-time steps and no hooks: runc's exec runs none.
    for (const op of ['hook', 'hookState', 'mount', 'pivotRoot', 'created', 'mkdir', 'sync', 'fifoOpen']) expect(names).to.not.include(op);
    expect(plan.ops.at(-1)).to.deep.equal({ op: 'exec', args: ['sh'], env: ['PATH=/bin'], preserveFds: 0 });
    expect(encodePlan(plan.ops).length).to.be.greaterThan(8);
    expect(describeOp(plan.ops[1])).to.equal("join the container's namespaces (mount, pid, network, uts, ipc, cgroup)");
  });

  it('joins the v1 cgroups first, before any namespace, through the tasks fds it is given', () => {
    const cgroupJoinFds = [{ fd: 5, path: '/sys/fs/cgroup/pids/c1/tasks' }, { fd: 6, path: '/sys/fs/cgroup/memory/c1/tasks' }];
    const plan = buildExecPlan(config([{ type: 'pid' }, { type: 'mount' }]), process, { initPidfd: 4, cgroupJoinFds, preserveFds: 0, fail });
    expect(plan.ops.slice(0, 4).map((o) => o.op)).to.deep.equal(['execSyncMarker', 'cgroupJoin', 'cgroupJoin', 'setnsPidfd']);
    expect(plan.ops[1]).to.deep.equal({ op: 'cgroupJoin', fd: 5, path: '/sys/fs/cgroup/pids/c1/tasks' });
    expect(describeOp(plan.ops[2])).to.equal('join cgroup /sys/fs/cgroup/memory/c1');
    expect(encodePlan(plan.ops).length).to.be.greaterThan(8);
  });

  it('no fork without a pid namespace; a user namespace is joined with the rest, then its root', () => {
    const plan = buildExecPlan(config([{ type: 'mount' }, { type: 'user' }]), process, { initPidfd: 6, preserveFds: 2, fail });
    expect(plan.ops[1]).to.deep.include({ op: 'setnsPidfd', fd: 6, nstype: NAMESPACE_FLAGS.mount | NAMESPACE_FLAGS.user });
    expect(plan.ops[2]).to.deep.equal({ op: 'usernsRoot' });
    expect(plan.ops.map((o) => o.op)).to.not.include('forkPidns');
    expect(plan.ops.at(-1).preserveFds).to.equal(2);
    expect(containerNamespaces(config([{ type: 'user' }, { type: 'time' }]))).to.deep.equal(['user', 'time']);
    const without = buildExecPlan(config([{ type: 'mount' }]), process, { initPidfd: 6, preserveFds: 0, fail });
    expect(without.ops.map((o) => o.op)).to.not.include('usernsRoot');
  });

  it('scheduler, ioPriority, execCPUAffinity and LSM labels with create\'s rules; the last affinity list wins', () => {
    const cfg = config([{ type: 'mount' }]);
    const withSettings = { ...process, scheduler: { policy: 'SCHED_BATCH' }, ioPriority: { class: 'IOPRIO_CLASS_BE', priority: 4 },
      execCPUAffinity: { initial: '0-1', final: '1' } };
    const ops = buildExecPlan(cfg, withSettings, { initPidfd: 4, preserveFds: 0, fail }).ops;
    expect(ops.map((o) => o.op).slice(2, 5)).to.deep.equal(['schedSetattr', 'ioprioSet', 'schedSetaffinity']);
    expect(ops[4]).to.deep.equal({ op: 'schedSetaffinity', cpumask: [2n] });
    expect(() => buildExecPlan(cfg, { ...process, apparmorProfile: 'p' }, { initPidfd: 4, preserveFds: 0, fail }))
      .to.throw('/process/apparmorProfile: AppArmor is not enabled on this host');
    const host = { apparmor: true, apparmorExecAttr: 'thread-self/attr/apparmor/exec', selinux: false, resctrl: false };
    const labelled = buildExecPlan(cfg, { ...process, apparmorProfile: 'p' }, { initPidfd: 4, preserveFds: 0, fail, host }).ops;
    expect(labelled).to.deep.include({ op: 'procWrite', path: 'thread-self/attr/apparmor/exec', value: 'exec p' });
  });
});
