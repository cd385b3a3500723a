// process.scheduler, process.ioPriority, linux.memoryPolicy,
// linux.personality and process.execCPUAffinity: checked here with runc's
// rules, turned into one helper op each (native/init/sched_ops.cc).
import type { MemoryPolicy, Personality, Process, Scheduler } from '../spec/types';
import type { PlanOp } from './ops';
import type { PlanFail } from './plan-fail';
import { idMaskWords, parseIdList } from '../spec/id-list';

// linux/sched.h
const SCHED_POLICIES: Record<string, number> = {
  SCHED_OTHER: 0, SCHED_FIFO: 1, SCHED_RR: 2, SCHED_BATCH: 3, SCHED_ISO: 4, SCHED_IDLE: 5, SCHED_DEADLINE: 6,
};
const SCHED_FLAGS: Record<string, number> = {
  SCHED_FLAG_RESET_ON_FORK: 0x01, SCHED_FLAG_RECLAIM: 0x02, SCHED_FLAG_DL_OVERRUN: 0x04, SCHED_FLAG_KEEP_POLICY: 0x08,
  SCHED_FLAG_KEEP_PARAMS: 0x10, SCHED_FLAG_UTIL_CLAMP_MIN: 0x20, SCHED_FLAG_UTIL_CLAMP_MAX: 0x40,
};
// linux/ioprio.h
const IOPRIO_CLASSES: Record<string, number> = { IOPRIO_CLASS_RT: 1, IOPRIO_CLASS_BE: 2, IOPRIO_CLASS_IDLE: 3 };
const IOPRIO_CLASS_SHIFT = 13;
// linux/mempolicy.h
const MPOL_MODES: Record<string, number> = {
  MPOL_DEFAULT: 0, MPOL_PREFERRED: 1, MPOL_BIND: 2, MPOL_INTERLEAVE: 3, MPOL_LOCAL: 4, MPOL_PREFERRED_MANY: 5,
  MPOL_WEIGHTED_INTERLEAVE: 6,
};
const MPOL_FLAGS: Record<string, number> = {
  MPOL_F_NUMA_BALANCING: 1 << 13, MPOL_F_RELATIVE_NODES: 1 << 14, MPOL_F_STATIC_NODES: 1 << 15,
};
// linux/personality.h
const PERSONALITY_DOMAINS: Record<string, number> = { LINUX: 0x0000, LINUX32: 0x0008 };

const big = (n: number | undefined): bigint => BigInt(Math.trunc(n ?? 0));

export function schedulerOp(s: Scheduler, fail: PlanFail): PlanOp {
  const field = '/process/scheduler';
  const policy = SCHED_POLICIES[s.policy];
  if (policy === undefined) fail(`${field}/policy`, `unknown scheduler policy ${JSON.stringify(s.policy)}`);
  if (s.policy === 'SCHED_ISO') fail(`${field}/policy`, 'SCHED_ISO is reserved but not implemented by Linux');
  const nice = s.nice ?? 0;
  if (nice < -20 || nice > 19) fail(`${field}/nice`, `invalid scheduler.nice: ${nice} (valid range is -20..19)`);
  const priority = s.priority ?? 0;
  if (priority !== 0 && s.policy !== 'SCHED_FIFO' && s.policy !== 'SCHED_RR') {
    fail(`${field}/priority`, 'scheduler.priority can only be specified for SchedFIFO or SchedRR policy');
  }
  if (priority < 0 || priority > 99) fail(`${field}/priority`, `invalid scheduler.priority: ${priority} (valid range is 0..99)`);
  if (s.policy !== 'SCHED_DEADLINE' && (s.runtime || s.deadline || s.period)) {
    fail(field, 'scheduler runtime/deadline/period can only be specified for SchedDeadline policy');
  }
  let flags = 0;
  (s.flags ?? []).forEach((name, i) => {
    const bit = SCHED_FLAGS[name];
    if (bit === undefined) fail(`${field}/flags/${i}`, `unknown scheduler flag ${JSON.stringify(name)}`);
    flags |= bit;
  });
  return {
    op: 'schedSetattr', policy, flags, nice, priority,
    runtime: big(s.runtime), deadline: big(s.deadline), period: big(s.period),
  };
}

export function ioPriorityOp(p: NonNullable<Process['ioPriority']>, fail: PlanFail): PlanOp {
  const cls = IOPRIO_CLASSES[p.class];
  if (cls === undefined) fail('/process/ioPriority/class', `unknown I/O priority class ${JSON.stringify(p.class)}`);
  const level = p.priority ?? 0;
  if (!Number.isInteger(level) || level < 0 || level > 7) {
    fail('/process/ioPriority/priority', `invalid I/O priority ${level}: valid range is 0 (highest) to 7 (lowest)`);
  }
  return { op: 'ioprioSet', prio: (cls << IOPRIO_CLASS_SHIFT) | level };
}

function idWords(list: string, field: string, fail: PlanFail): bigint[] {
  try {
    return idMaskWords(parseIdList(list));
  } catch (e) {
    return fail(field, (e as Error).message);
  }
}

export function memoryPolicyOp(m: MemoryPolicy, fail: PlanFail): PlanOp {
  const field = '/linux/memoryPolicy';
  if (m.mode === undefined) fail(`${field}/mode`, 'memoryPolicy.mode is required');
  const mode = MPOL_MODES[m.mode];
  if (mode === undefined) fail(`${field}/mode`, `unknown memory policy mode ${JSON.stringify(m.mode)}`);
  const nodes = (m.nodes ?? '').trim();
  const noNodes = m.mode === 'MPOL_DEFAULT' || m.mode === 'MPOL_LOCAL';
  if (noNodes && nodes) fail(`${field}/nodes`, `${m.mode} does not take nodes`);
  if (!noNodes && m.mode !== 'MPOL_PREFERRED' && !nodes) fail(`${field}/nodes`, `${m.mode} needs at least one node`);
  let flags = 0;
  (m.flags ?? []).forEach((name, i) => {
    const bit = MPOL_FLAGS[name];
    if (bit === undefined) fail(`${field}/flags/${i}`, `unknown memory policy flag ${JSON.stringify(name)}`);
    flags |= bit;
  });
  if ((flags & MPOL_FLAGS.MPOL_F_STATIC_NODES) && (flags & MPOL_FLAGS.MPOL_F_RELATIVE_NODES)) {
    fail(`${field}/flags`, 'MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES cannot be combined');
  }
  return { op: 'setMempolicy', mode: mode | flags, nodemask: nodes ? idWords(nodes, `${field}/nodes`, fail) : [0n] };
}

export function personalityOp(p: Personality, fail: PlanFail): PlanOp {
  const field = '/linux/personality';
  if (p.domain === undefined) fail(`${field}/domain`, 'personality.domain is required');
  const domain = PERSONALITY_DOMAINS[p.domain];
  if (domain === undefined) fail(`${field}/domain`, `unknown personality domain ${JSON.stringify(p.domain)}`);
  // The spec defines no flag values yet ("Currently no flag values are supported").
  if (p.flags?.length) fail(`${field}/flags`, `personality flags are not supported: ${JSON.stringify(p.flags[0])}`);
  return { op: 'personality', persona: domain };
}

/**
 * execCPUAffinity is for processes run by `exec`, not the init (config.md:
 * "not applicable to the container's init process"): create checks the
 * lists, and exec applies `final` with the op this returns.
 */
export function cpuAffinityOp(list: string, field: string, fail: PlanFail): PlanOp {
  return { op: 'schedSetaffinity', cpumask: idWords(list, field, fail) };
}

export function checkExecCpuAffinity(p: Process, fail: PlanFail): void {
  const a = p.execCPUAffinity;
  if (a?.initial) cpuAffinityOp(a.initial, '/process/execCPUAffinity/initial', fail);
  if (a?.final) cpuAffinityOp(a.final, '/process/execCPUAffinity/final', fail);
}

/** The scheduling and memory ops, run before capabilities are dropped (SCHED_FIFO, RT I/O need them). */
export function processSettingOps(p: Process, memoryPolicy: MemoryPolicy | undefined, fail: PlanFail): PlanOp[] {
  checkExecCpuAffinity(p, fail);
  return [
    ...(p.scheduler ? [schedulerOp(p.scheduler, fail)] : []),
    ...(p.ioPriority ? [ioPriorityOp(p.ioPriority, fail)] : []),
    ...(memoryPolicy ? [memoryPolicyOp(memoryPolicy, fail)] : []),
  ];
}
