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

// A user namespace joined by path must come before the namespaces created
// for the container, so that it owns them: clone3 then creates none, the
// helper joins and unshares them itself (runc's nsexec does the same).
const UNSHARED_AFTER_JOINED_USER: readonly NamespaceType[] = ['mount', 'uts', 'ipc', 'network', 'pid'];

function joinedUser(namespaces: readonly Namespace[]): Namespace | undefined {
  return namespaces.find((n) => n.type === 'user' && n.path);
}

/**
 * CLONE_NEW* flags for clone3: every new namespace the helper does not
 * unshare itself, a new user namespace among them (the kernel creates it
 * first, so it owns the others).
 */
export function cloneFlags(namespaces: readonly Namespace[]): number {
  if (joinedUser(namespaces)) return 0;
  let flags = 0;
  for (const n of namespaces) {
    if (!n.path && !UNSHARED_BY_HELPER.includes(n.type)) flags |= NAMESPACE_FLAGS[n.type];
  }
  return flags;
}

function setnsOp(n: Namespace): PlanOp {
  return { op: 'setns', path: n.path!, nstype: NAMESPACE_FLAGS[n.type], ns: n.type };
}

/**
 * Joins by path. With a user namespace joined too, runc's order: the
 * others first while the helper is still the host's root (afterwards its
 * capabilities count only in the joined namespace, and the host's /proc
 * would not let it open their paths), then the user namespace, then the
 * mount namespace (after which host paths may not resolve), then the new
 * namespaces unshared so that the joined user namespace owns them.
 */
function joinOps(namespaces: readonly Namespace[]): PlanOp[] {
  const joined = (type: NamespaceType) => namespaces.find((x) => x.type === type && x.path);
  const user = joinedUser(namespaces);
  const ops: PlanOp[] = [];
  for (const type of JOIN_ORDER) {
    const n = joined(type);
    if (n && !(user && type === 'mount')) ops.push(setnsOp(n));
  }
  if (!user) return ops;
  ops.push(setnsOp(user), { op: 'usernsRoot' });
  const mount = joined('mount');
  if (mount) ops.push(setnsOp(mount));
  const fresh = UNSHARED_AFTER_JOINED_USER.filter((t) => namespaces.some((x) => x.type === t && !x.path));
  const flags = fresh.reduce((f, t) => f | NAMESPACE_FLAGS[t], 0);
  if (flags) ops.push({ op: 'unshare', flags, ns: fresh.join(',') });
  return ops;
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
  const ops: PlanOp[] = joinOps(namespaces);
  if (joinedUser(namespaces) && linux.netDevices && Object.keys(linux.netDevices).length) {
    fail('/linux/netDevices', 'network devices cannot be moved into a container that joins a user namespace by path');
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
  // setns into (or unshare of) a pid namespace only moves children: last, so
  // the child that carries on inherits every namespace above (and the
  // offsets, frozen now).
  const pid = namespaces.find((x) => x.type === 'pid');
  if (pid && (pid.path || joinedUser(namespaces))) ops.push({ op: 'forkPidns' });
  return ops;
}
