// Signalling every process of a container through its cgroups (kill --all,
// delete --force, and containers without their own pid namespace).
import * as path from 'path';
import type { CgroupFsOp } from '../native';
import { SIGKILL } from '../signals';
import { CgroupDirs, v1DirFor } from './path';
import { CgroupReader, fsCgroupReader } from './reader';
import { cgroupPids } from './members';

export interface KillOptions {
  apply?: (ops: CgroupFsOp[]) => void;
  reader?: CgroupReader;
  /** Sends a signal; a vanished process (ESRCH) must not throw. */
  kill?: (pid: number, signal: number) => void;
  sleep?: (ms: number) => Promise<void>;
  /** SIGKILL rounds before giving up on processes that keep appearing. */
  maxRounds?: number;
}

interface Deps {
  apply: (ops: CgroupFsOp[]) => void;
  reader: CgroupReader;
  kill: (pid: number, signal: number) => void;
  sleep: (ms: number) => Promise<void>;
  maxRounds: number;
}

function defaultKill(pid: number, signal: number): void {
  try {
    process.kill(pid, signal);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

function defaults(opts: KillOptions): Deps {
  return {
    apply:
      opts.apply ??
      ((ops) => (require('../native') as typeof import('../native')).native().cgroupApply(ops)),
    reader: opts.reader ?? fsCgroupReader,
    kill: opts.kill ?? defaultKill,
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    maxRounds: opts.maxRounds ?? 50,
  };
}

const FREEZE_POLLS = 100;

/** The freezer file and its frozen/thawed values, v1 preferred as runc does on v1 hosts. */
function freezerOf(dirs: CgroupDirs, reader: CgroupReader): { file: string; frozen: string; thawed: string; state: string } | undefined {
  const v1 = v1DirFor(dirs, 'freezer');
  if (v1 && reader.exists(path.join(v1.path, 'freezer.state'))) {
    const file = path.join(v1.path, 'freezer.state');
    return { file, frozen: 'FROZEN', thawed: 'THAWED', state: file };
  }
  if (dirs.v2 && reader.exists(path.join(dirs.v2.path, 'cgroup.freeze'))) {
    return { file: path.join(dirs.v2.path, 'cgroup.freeze'), frozen: '1', thawed: '0', state: path.join(dirs.v2.path, 'cgroup.events') };
  }
  return undefined;
}

function isFrozen(state: string | undefined, frozen: string): boolean {
  if (state === undefined) return true; // cgroup gone: nothing left to wait for
  if (frozen === 'FROZEN') return state.trim() === 'FROZEN';
  return /^frozen 1$/m.test(state);
}

/**
 * Freeze, signal every pid, thaw: a frozen process cannot fork or exit, so
 * the pid list is complete and no pid is reused between reading and kill.
 * v1 reports FREEZING until every task stopped, so poll (bounded: a stuck
 * freeze still gets the signals, as before freezers existed). A cgroup
 * that was already frozen (a paused container) is never thawed by a signal
 * that does not kill: pause is the user's, the signal stays pending (runc).
 */
async function signalFrozen(dirs: CgroupDirs, signal: number, d: Deps): Promise<void> {
  const freezer = freezerOf(dirs, d.reader);
  const paused = !!freezer && isFrozen(d.reader.read(freezer.state), freezer.frozen) && d.reader.exists(freezer.file);
  if (freezer && !paused) {
    d.apply([{ op: 'write', path: freezer.file, value: freezer.frozen }]);
    for (let i = 0; i < FREEZE_POLLS && !isFrozen(d.reader.read(freezer.state), freezer.frozen); i++) await d.sleep(1);
  }
  try {
    for (const pid of cgroupPids(dirs, d.reader)) d.kill(pid, signal);
  } finally {
    if (freezer && (!paused || signal === SIGKILL) && d.reader.exists(freezer.file)) {
      d.apply([{ op: 'write', path: freezer.file, value: freezer.thawed }]);
    }
  }
}

/** A v1-frozen task does not act on SIGKILL until thawed (runc thaws after SIGKILL too). */
function thawForKill(dirs: CgroupDirs, d: Deps): void {
  const freezer = freezerOf(dirs, d.reader);
  if (freezer && d.reader.exists(freezer.file) && (d.reader.read(freezer.file) ?? '').trim() !== freezer.thawed) {
    d.apply([{ op: 'write', path: freezer.file, value: freezer.thawed }]);
  }
}

/**
 * Sends `signal` to every process in the container's cgroups. SIGKILL uses
 * cgroup.kill when the kernel has it (>= 5.14), else repeats freeze-kill-
 * thaw rounds until the cgroups are empty or maxRounds is reached. Other
 * signals are sent once to every current member. Resolves when done; for
 * SIGKILL that means the cgroups were seen empty (or the rounds ran out).
 */
export async function killAll(dirs: CgroupDirs, signal: number, opts: KillOptions = {}): Promise<void> {
  const d = defaults(opts);
  if (signal !== SIGKILL) {
    await signalFrozen(dirs, signal, d);
    return;
  }
  const cgroupKill = dirs.v2 && path.join(dirs.v2.path, 'cgroup.kill');
  for (let round = 0; round < d.maxRounds; round++) {
    if (cgroupPids(dirs, d.reader).length === 0) return;
    if (cgroupKill && d.reader.exists(cgroupKill)) {
      d.apply([{ op: 'write', path: cgroupKill, value: '1' }]);
      thawForKill(dirs, d);
    } else await signalFrozen(dirs, signal, d);
    if (cgroupPids(dirs, d.reader).length === 0) return;
    await d.sleep(Math.min(2 ** round, 100));
  }
}
