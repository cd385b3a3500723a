// Steps that turn the helper into the container process: limits,
// capabilities and credentials, then cwd and the executable lookup.
import type { Process } from '../spec/types';
import type { PlanOp } from './ops';
import { RLIMITS, rlimitValue } from '../spec/rlimits';
import { capabilityMask } from '../spec/capabilities';
import type { CompiledSeccomp } from '../seccomp/compile';
import { seccompOpsAt } from './seccomp';

const DEFAULT_UMASK = 0o022;

/** The PATH the container process will see: the last PATH= in env, as getenv after the env is applied. */
export function pathFromEnv(env: readonly string[] | undefined): string {
  let value = '';
  for (const e of env ?? []) if (e.startsWith('PATH=')) value = e.slice(5);
  return value;
}

function rlimitOps(p: Process): PlanOp[] {
  return (p.rlimits ?? []).map((r): PlanOp => ({
    op: 'rlimit', name: r.type, resource: RLIMITS[r.type], soft: rlimitValue(r.soft), hard: rlimitValue(r.hard),
  }));
}

function credentialOps(p: Process): PlanOp[] {
  // An absent capabilities object means no capabilities, as in runc.
  const caps = p.capabilities ?? {};
  return [
    // Dropping from the bounding set needs CAP_SETPCAP, which setresuid to a
    // non-root uid would clear: drop it first, and keep the permitted set
    // across the uid change (KEEPCAPS) so capset can pick the final sets.
    { op: 'capBounding', keep: capabilityMask(caps.bounding) },
    { op: 'keepCaps', on: true },
    { op: 'creds', uid: p.user?.uid ?? 0, gid: p.user?.gid ?? 0, groups: [...(p.user?.additionalGids ?? [])] },
    { op: 'keepCaps', on: false },
    {
      op: 'caps',
      effective: capabilityMask(caps.effective),
      permitted: capabilityMask(caps.permitted),
      inheritable: capabilityMask(caps.inheritable),
      ambient: capabilityMask(caps.ambient),
    },
  ];
}

/**
 * oom_score_adj, rlimits, capabilities and credentials, umask, cwd,
 * no_new_privs; a seccomp filter that needs CAP_SYS_ADMIN to load goes
 * before the credentials (lib/plan/seccomp.ts; the plan's caller places
 * the other positions: before CREATED, at EXEC).
 */
export function processSetupOps(p: Process, seccomp?: CompiledSeccomp, hasCreatedStep = true): PlanOp[] {
  const ops: PlanOp[] = [];
  if (p.oomScoreAdj !== undefined) ops.push({ op: 'procWrite', path: 'self/oom_score_adj', value: String(p.oomScoreAdj) });
  ops.push(...rlimitOps(p));
  ops.push(...seccompOpsAt('beforeCredentials', seccomp, p, hasCreatedStep));
  ops.push(...credentialOps(p));
  ops.push({ op: 'umask', mask: p.user?.umask ?? DEFAULT_UMASK });
  // After the uid change, so the container user's permissions apply to cwd.
  ops.push({ op: 'chdir', path: p.cwd });
  if (p.noNewPrivileges) ops.push({ op: 'noNewPrivs' });
  return ops;
}

/** The PATH lookup, done in the container's root before `created`, so a missing binary fails `create`. */
export function resolveExecOp(p: Process): PlanOp {
  return { op: 'resolveExec', file: p.args![0], pathEnv: pathFromEnv(p.env) };
}

export function execOp(p: Process, preserveFds: number): PlanOp {
  return { op: 'exec', args: [...p.args!], env: [...(p.env ?? [])], preserveFds };
}
