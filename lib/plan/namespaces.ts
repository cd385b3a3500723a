// Namespace steps: which namespaces clone3 creates, which the helper joins
// (setns) and which it unshares itself.
import type { Linux, Namespace, NamespaceType, TimeOffset } from '../spec/types';
import type { PlanOp } from './ops';
import * as K from './linux-constants';
import type { PlanFail } from './plan-fail';

export const NAMESPACE_FLAGS: Readonly<Record<NamespaceType, number>> = {
  mount: K.CLONE_NEWNS,
  pid: K.CLONE_NEWPID,
  network: K.CLONE_NEWNET,
  uts: K.CLONE_NEWUTS,
  ipc: K.CLONE_NEWIPC,
  user: K.CLONE_NEWUSER,
  cgroup: K.CLONE_NEWCGROUP,
  time: K.CLONE_NEWTIME,
};

// The cgroup namespace must be created after the parent moved the child into
// its cgroup (clone3 cannot order the two), and time namespace offsets can
// only be written before any task enters it: the helper unshares both.
const UNSHARED_BY_HELPER: readonly NamespaceType[] = ['cgroup', 'time'];

// The helper opens each path right before its setns, so the mount namespace
// goes last: once inside it, the other (host) paths may not resolve.
const JOIN_ORDER: readonly NamespaceType[] = ['ipc', 'uts', 'network', 'cgroup', 'time', 'pid', 'mount'];

function checkSupported(namespaces: readonly Namespace[], fail: PlanFail): void {
  namespaces.forEach((n, i) => {
    if (n.type === 'user') fail(`/linux/namespaces/${i}`, 'user namespaces are not supported yet');
  });
}

/** CLONE_NEW* flags for clone3: every new namespace the helper does not unshare itself. */
export function cloneFlags(namespaces: readonly Namespace[]): number {
  let flags = 0;
  for (const n of namespaces) {
    if (!n.path && n.type !== 'user' && !UNSHARED_BY_HELPER.includes(n.type)) flags |= NAMESPACE_FLAGS[n.type];
  }
  return flags;
}

function timeOffsetsValue(offsets: { boottime?: TimeOffset; monotonic?: TimeOffset }): string {
  return (['monotonic', 'boottime'] as const)
    .filter((clock) => offsets[clock])
    .map((clock) => `${clock} ${offsets[clock]!.secs ?? 0} ${offsets[clock]!.nanosecs ?? 0}\n`)
    .join('');
}

/** setns for joined namespaces, then unshare of a new cgroup and time namespace. */
export function namespaceOps(linux: Linux, fail: PlanFail): PlanOp[] {
  const namespaces = linux.namespaces ?? [];
  checkSupported(namespaces, fail);
  const ops: PlanOp[] = [];
  for (const type of JOIN_ORDER) {
    const n = namespaces.find((x) => x.type === type && x.path);
    if (n) ops.push({ op: 'setns', path: n.path!, nstype: NAMESPACE_FLAGS[type], ns: type });
  }
  for (const type of UNSHARED_BY_HELPER) {
    if (!namespaces.some((x) => x.type === type && !x.path)) continue;
    ops.push({ op: 'unshare', flags: NAMESPACE_FLAGS[type], ns: type });
    // Offsets apply to time_for_children and are frozen once a task enters
    // it, which the first fork (a hook) or the final execve does.
    if (type === 'time' && linux.timeOffsets) {
      const value = timeOffsetsValue(linux.timeOffsets);
      if (value) ops.push({ op: 'procWrite', path: 'self/timens_offsets', value });
    }
  }
  // setns into a pid namespace only moves children there: last, so the child
  // that carries on inherits every namespace above (and the offsets, frozen now).
  if (namespaces.some((x) => x.type === 'pid' && x.path)) ops.push({ op: 'forkPidns' });
  return ops;
}
