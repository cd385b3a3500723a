// Where the seccomp filter goes in the plan. Loading it needs NO_NEW_PRIVS
// or CAP_SYS_ADMIN; everything the helper does after it runs under the
// user's profile, so it goes as late as the kernel allows:
// - noNewPrivileges (or CAP_SYS_ADMIN kept in the final effective set):
//   deferred to EXEC, after close_range and the signal reset, so only
//   execve runs filtered (runc loads it before its fifo open and hooks);
// - otherwise before the credential steps drop CAP_SYS_ADMIN (runc's and
//   crun's order); setgroups/setresuid/capset, umask, chdir, the fifo
//   open, startContainer hooks and close_range then run under the profile;
// - a NOTIFY listener must reach the runtime while it still listens on the
//   sync socket: during `create`, so before CREATED (runc sends it during
//   create too). `exec` has no CREATED step: EXEC hands it over itself.
import type { Process } from '../spec/types';
import type { CompiledSeccomp } from '../seccomp/compile';
import type { PlanOp } from './ops';

export type SeccompPlacement = 'beforeCredentials' | 'beforeCreated' | 'atExec';

export function seccompPlacement(s: CompiledSeccomp, p: Process, hasCreatedStep: boolean): SeccompPlacement {
  const keepsSysAdmin = (p.capabilities?.effective ?? []).includes('CAP_SYS_ADMIN');
  if (!p.noNewPrivileges && !keepsSysAdmin) return 'beforeCredentials';
  if (s.notify && hasCreatedStep) return 'beforeCreated';
  return 'atExec';
}

export function seccompOp(s: CompiledSeccomp, placement: SeccompPlacement): PlanOp {
  return { op: 'seccomp', bpf: s.bpf, flags: s.flags, atExec: placement === 'atExec' };
}

/** The op if `s` goes at `where`, else nothing: callers list every position in order. */
export function seccompOpsAt(
  where: SeccompPlacement,
  s: CompiledSeccomp | undefined,
  p: Process,
  hasCreatedStep: boolean,
): PlanOp[] {
  if (!s) return [];
  const placement = seccompPlacement(s, p, hasCreatedStep);
  return placement === where ? [seccompOp(s, placement)] : [];
}
