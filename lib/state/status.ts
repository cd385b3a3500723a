// The live status of a recorded container, safe against pid reuse: the
// recorded process is the one at that pid only if its start time matches.
import * as fs from 'fs';
import { ContainerSystemError } from '../errors';
import type { ContainerStatus } from '../spec/state-types';
import { cgroupFrozen } from '../cgroups/members';
import { ContainerRecord } from './record';

export interface ProcStat {
  pid: number;
  comm: string;
  /** R, S, D, Z, T, t, X, I... */
  state: string;
  ppid: number;
  /** Field 22: start time in clock ticks after boot. */
  startTime: number;
}

/**
 * /proc/<pid>/stat. comm (field 2) is in parentheses and may itself contain
 * spaces and parentheses, so it runs to the LAST ")" of the line.
 */
export function parseProcStat(content: string): ProcStat {
  const open = content.indexOf('(');
  const close = content.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error('malformed /proc/<pid>/stat');
  const rest = content.slice(close + 2).trim().split(' ');
  // rest[0] is field 3 (state), so field N is rest[N - 3].
  const startTime = Number(rest[22 - 3]);
  if (rest.length < 20 || !Number.isFinite(startTime)) throw new Error('malformed /proc/<pid>/stat');
  return {
    pid: Number(content.slice(0, open).trim()),
    comm: content.slice(open + 1, close),
    state: rest[0],
    ppid: Number(rest[4 - 3]),
    startTime,
  };
}

/** undefined when there is no such process. */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
    throw e;
  }
}

/** Start time of a live pid; throws ESRCH when there is no such process. */
export function procStartTime(pid: number): number {
  const stat = readProcStat(pid);
  if (!stat) throw new ContainerSystemError({ code: 'ESRCH', errno: 3, syscall: 'open', path: `/proc/${pid}/stat` });
  return stat.startTime;
}

export interface StatusProbe {
  procStat(pid: number): ProcStat | undefined;
  exists(p: string): boolean;
  frozen(record: ContainerRecord): boolean;
}

export const systemProbe: StatusProbe = {
  procStat: readProcStat,
  exists: (p) => fs.existsSync(p),
  frozen: (record) => (record.cgroupDirs ? cgroupFrozen(record.cgroupDirs) : false),
};

/** The recorded process is alive: same start time, not a zombie. */
export function processAlive(record: ContainerRecord, probe: StatusProbe = systemProbe): boolean {
  if (record.pid <= 0) return false;
  const stat = probe.procStat(record.pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  return stat.startTime === record.startTime;
}

/**
 * runc's rule: a live container whose cgroup is frozen is paused; while the
 * exec fifo (<state dir>/exec.fifo) still exists, nobody ran `start` yet and
 * it is created; otherwise running. A dead or replaced process: stopped.
 */
export function liveStatus(record: ContainerRecord, fifoPath: string, probe: StatusProbe = systemProbe): ContainerStatus {
  if (record.status === 'stopped') return 'stopped';
  if (record.pid <= 0) return record.status === 'creating' ? 'creating' : 'stopped';
  if (!processAlive(record, probe)) return 'stopped';
  if (record.status === 'creating') return 'creating';
  if (probe.frozen(record)) return 'paused';
  return probe.exists(fifoPath) ? 'created' : 'running';
}
