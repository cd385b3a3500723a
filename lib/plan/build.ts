// config.json -> launch plan: the ordered steps ts-oci-init executes between
// clone3 and execve (op semantics: native/README.md). The order follows runc
// and crun; each constraint is commented where the steps are assembled.
import type { Linux, Spec } from '../spec/types';
import { usernsMode } from '../spec/validate-userns';
import { SYNC_CREATE_RUNTIME, PlanOp } from './ops';
import { cgroupJoinOps } from './cgroup-join';
import type { LaunchPlan, PlanContext } from './plan-types';
import { PlanFail, planFail } from './plan-fail';
import { cloneFlags, namespaceOps } from './namespaces';
import { bindsDev, configMountOps, finalRootPropagationOps, rootPropagationFlags } from './mounts';
import { deviceOps } from './devices';
import { hookOps } from './hooks';
import { containerFsOps } from './container-fs';
import { execOp, processSetupOps, resolveExecOp } from './process';
import { seccompOpsAt } from './seccomp';
import { personalityOp, processSettingOps } from './process-settings';
import { checkIntelRdt, lsmLabelOps, mountLabel } from './host-fields';
import { NO_HOST_FEATURES } from './host-features';
import { refuseUnappliedFields } from './refused-fields';
import { consoleOps } from './terminal';
import { netDeviceMoves, netDeviceOps, PreparedNetDevice } from './net-devices';

/**
 * The runtime prepares the devices (their index and addresses on the host)
 * before building the plan; a plan asked for without them is refused
 * rather than built without the move.
 */
function netDevicesFor(config: Spec, ctx: PlanContext, fail: PlanFail): PreparedNetDevice[] {
  const moves = netDeviceMoves(config.linux ?? {}, () => false, fail);
  if (moves.length === 0) return [];
  const prepared = ctx.netDevices ?? [];
  for (const m of moves) {
    if (!prepared.some((p) => p.hostName === m.hostName)) fail('/linux/netDevices', `network device ${m.hostName} was not prepared by the runtime`);
  }
  return prepared;
}

/** What a user namespace changes in the plan: device binds, a bound /sys, the fifo by fd. */
function usernsContext(linux: Linux, ctx: PlanContext, fail: PlanFail): Partial<PlanContext> {
  const mode = usernsMode(linux);
  const net = (linux.namespaces ?? []).find((n) => n.type === 'network');
  // The runtime's own user namespace owns what clone3 makes: no mknod, and
  // sysfs only with a network namespace of the container's own.
  // A cgroup2 mount needs a cgroup namespace the user namespace owns.
  const cgroupns = (linux.namespaces ?? []).some((n) => n.type === 'cgroup' && !n.path);
  const bindCgroup = !cgroupns && !ctx.cgroup?.v1Mounts;
  if (mode === 'none') return ctx.runtimeInUserns ? { inUserns: true, bindSysfs: !net || !!net.path, bindCgroup } : {};
  // The state directory is not searchable by the namespace's root: the
  // runtime must pass the fifo (lib/runtime/create.ts).
  if (ctx.fifoFd === undefined) fail('/linux/namespaces', 'a user namespace needs the exec fifo passed by the runtime');
  // A new network namespace is the new user namespace's (clone3 makes the
  // user namespace first; with a joined one, the helper unshares it after).
  return { inUserns: true, bindSysfs: !net || !!net.path, bindCgroup };
}

export type { LaunchPlan, PlanContext, CgroupV1Mount } from './plan-types';
export { describeOp } from './describe';

/** Namespaces, then everything done in the container's mount namespace before pivot_root. */
function rootfsOps(config: Spec, ctx: PlanContext, fail: PlanFail, warnings: string[]): PlanOp[] {
  const linux = config.linux ?? {};
  const mounts = config.mounts ?? [];
  return [
    // Joined and helper-unshared namespaces first: every later step must
    // already act in the container's namespaces.
    ...namespaceOps(linux, fail),
    // Devices the runtime moved in after clone: named, addressed and up
    // inside the network namespace (joined just above, when by path).
    ...netDeviceOps(netDevicesFor(config, ctx, fail)),
    // Before any mount: stop the container's mounts from propagating to the host.
    { op: 'rootPropagation', flags: rootPropagationFlags(linux, ctx.noPivot, fail) },
    { op: 'rootfs', path: ctx.rootfs },
    ...configMountOps(mounts, ctx, fail, warnings),
    // After the mounts, so nodes land in the /dev tmpfs and not below it.
    ...(bindsDev(mounts) ? [] : deviceOps(linux.devices ?? [], !!ctx.inUserns)),
    // createRuntime hooks (run by the runtime) see the mounts but not yet the pivot.
    { op: 'sync', tag: SYNC_CREATE_RUNTIME },
    // createContainer hooks: container namespaces, before pivot_root (spec).
    ...hookOps('createContainer', config.hooks?.createContainer, () => ctx.hookState('creating')),
    // runc creates a missing cwd; before pivot, while the rootfs dirfd is at hand.
    ...(config.process?.cwd ? [{ op: 'mkdir' as const, path: config.process.cwd }] : []),
    // A host path: only reachable before pivot_root.
    ctx.fifoFd !== undefined ? { op: 'fifoFd', fd: ctx.fifoFd } : { op: 'fifoOpen', path: ctx.fifoPath },
    ctx.noPivot ? { op: 'chrootMove' } : { op: 'pivotRoot' },
    ...finalRootPropagationOps(linux),
  ];
}

export function buildLaunchPlan(config: Spec, ctx: PlanContext): LaunchPlan {
  const fail: PlanFail = planFail(ctx.bundle);
  const process = config.process;
  if (!process) fail('/process', 'process must be specified to create a container');
  if (!process.args?.length) fail('/process/args', 'args must not be empty');
  const host = ctx.host ?? NO_HOST_FEATURES;
  refuseUnappliedFields(config, fail);
  checkIntelRdt(config, host, fail);
  const warnings: string[] = [];
  const linux = config.linux ?? {};
  const withLabel = { ...ctx, mountLabel: mountLabel(config, host, fail), ...usernsContext(linux, ctx, fail) };
  const ops: PlanOp[] = [
    ...cgroupJoinOps(ctx.cgroupJoinFds),
    ...rootfsOps(config, withLabel, fail, warnings),
    // In the container's devpts, after pivot_root; before the masks and the
    // read-only remounts, and while we are still root (runc's order).
    ...consoleOps(process, fail),
    ...containerFsOps(config),
    // runc's default; --no-new-keyring keeps the caller's session keyring.
    ...(ctx.noNewKeyring ? [] : [{ op: 'sessionKeyring' as const }]),
    // Scheduler, I/O priority, memory policy and LSM exec labels while the
    // helper still has every capability (runc: before finalizeNamespace).
    ...processSettingOps(process, linux.memoryPolicy, fail),
    ...lsmLabelOps(config, host, fail),
    ...processSetupOps(process, ctx.seccomp),
    // Resolved before `created`, so a missing executable fails `create`.
    resolveExecOp(process),
    // Before the wait (runc: last before it). Ahead of any filter loaded
    // below, so a profile need not allow personality(2).
    ...(linux.personality ? [personalityOp(linux.personality, fail)] : []),
    // A NOTIFY listener must reach the runtime before it leaves (lib/plan/seccomp.ts).
    ...seccompOpsAt('beforeCreated', ctx.seccomp, process, true),
    { op: 'created' },
    // startContainer hooks run at `start`, after the fifo is opened.
    ...hookOps('startContainer', config.hooks?.startContainer, () => ctx.hookState('created')),
    // Kept by the helper and loaded by EXEC itself, right before execve.
    ...seccompOpsAt('atExec', ctx.seccomp, process, true),
    execOp(process, ctx.preserveFds),
  ];
  return { cloneFlags: cloneFlags(config.linux?.namespaces ?? []), ops, warnings };
}
