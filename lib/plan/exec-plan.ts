// `exec` -> launch plan: the steps that take a fresh ts-oci-init into a
// running container and make it the exec'd process. It shares the process
// part with create (process.ts); what differs is how the container is
// reached: one setns on a pidfd of its init instead of clone flags, mounts
// and pivot_root. No create hooks run (runc runs none for exec).
import type { NamespaceType, Process, Spec } from '../spec/types';
import type { PlanOp } from './ops';
import { NAMESPACE_FLAGS } from './namespaces';
import { execOp, processSetupOps, resolveExecOp } from './process';
import { consoleOps } from './terminal';
import type { CompiledSeccomp } from '../seccomp/compile';
import { seccompOpsAt } from './seccomp';
import { cpuAffinityOp, personalityOp, processSettingOps } from './process-settings';
import { lsmLabelOps } from './host-fields';
import { HostFeatures, NO_HOST_FEATURES } from './host-features';
import type { PlanFail } from './plan-fail';
import { CgroupJoinFd, cgroupJoinOps } from './cgroup-join';

export interface ExecPlanContext {
  /** The fd number at which the helper holds a pidfd of the container's init. */
  initPidfd: number;
  /** The container's v1 cgroups: the helper's fds of their `tasks` files. */
  cgroupJoinFds?: CgroupJoinFd[];
  /** Fds 3 .. 3+preserveFds-1 are passed to the exec'd process. */
  preserveFds: number;
  /** The container's linux.seccomp, compiled: an exec'd process gets the same filter (runc). */
  seccomp?: CompiledSeccomp;
  /** LSMs on this host; absent = none (an AppArmor profile or SELinux label is refused). */
  host?: HostFeatures;
  /** How a field the plan cannot apply is reported (names the exec's source). */
  fail: PlanFail;
}

export interface ExecPlan {
  ops: PlanOp[];
  /** True when the plan forks into the container's pid namespace (FRAME_PID follows). */
  forksIntoPidNamespace: boolean;
}

/**
 * The namespaces of the container (own or joined by path), in the order
 * setns reports them. A user namespace is among them: one setns on the
 * pidfd enters it first, and the kernel checks the other joins with the
 * credentials it gives (full capabilities in that namespace).
 */
export function containerNamespaces(config: Spec): NamespaceType[] {
  const types = new Set((config.linux?.namespaces ?? []).map((n) => n.type));
  return (Object.keys(NAMESPACE_FLAGS) as NamespaceType[]).filter((t) => types.has(t));
}

export function buildExecPlan(config: Spec, process: Process, ctx: ExecPlanContext): ExecPlan {
  const namespaces = containerNamespaces(config);
  const nstype = namespaces.reduce((flags, t) => flags | NAMESPACE_FLAGS[t], 0);
  const forks = namespaces.includes('pid');
  const linux = config.linux ?? {};
  const a = process.execCPUAffinity;
  const affinity = a?.final ? { list: a.final, field: '/process/execCPUAffinity/final' }
    : a?.initial ? { list: a.initial, field: '/process/execCPUAffinity/initial' } : undefined;
  const ops: PlanOp[] = [
    // EXEC reports reaching execve (FRAME_EXEC_STARTED): EOF alone is a helper that died.
    { op: 'execSyncMarker' },
    ...cgroupJoinOps(ctx.cgroupJoinFds),
    // The helper is non-dumpable from its first instruction (main.cc), so
    // before this step too (CVE-2016-9962).
    ...(nstype ? [{ op: 'setnsPidfd' as const, fd: ctx.initPidfd, nstype, ns: namespaces }] : []),
    // The host's ids mean nothing in the container's user namespace: its
    // root until the process's own user is set (files, the pty's owner).
    ...(namespaces.includes('user') ? [{ op: 'usernsRoot' as const }] : []),
    // setns(CLONE_NEWPID) only moves children: continue in one, a member of
    // the container's pid namespace.
    ...(forks ? [{ op: 'forkPidns' as const }] : []),
    // -t: a pty from the container's devpts, as the init's, but /dev/console
    // stays the init's (runc binds it for the init only). Still root here.
    ...consoleOps(process, ctx.fail, false),
    // What create does with the process, in create's order: scheduler, I/O
    // priority, memory policy and LSM exec labels while every capability
    // is still there; then rlimits, capabilities, user and groups, umask,
    // cwd (chdir inside the container's root, then verified), no_new_privs.
    // The seccomp filter goes where create puts it (lib/plan/seccomp.ts);
    // no CREATED here, so a NOTIFY listener leaves from EXEC itself.
    ...processSettingOps(process, linux.memoryPolicy, ctx.fail),
    // execCPUAffinity is for exec'd processes (config.md). The helper is in
    // the container's cgroup from its clone on, so `initial` (before the
    // transition) cannot apply separately: the last list given is applied.
    ...(affinity ? [cpuAffinityOp(affinity.list, affinity.field, ctx.fail)] : []),
    ...lsmLabelOps({ ...config, process }, ctx.host ?? NO_HOST_FEATURES, ctx.fail),
    ...processSetupOps(process, ctx.seccomp, false),
    resolveExecOp(process),
    ...(linux.personality ? [personalityOp(linux.personality, ctx.fail)] : []),
    ...seccompOpsAt('atExec', ctx.seccomp, process, false),
    execOp(process, ctx.preserveFds),
  ];
  return { ops, forksIntoPidNamespace: forks };
}
