// The cgroup manager interface: everything the runtime does with a
// container's cgroups goes through it, so another driver (systemd) is one
// more implementation, not a change to callers. One cgroupfs implementation
// per layout: V1Manager (a directory per hierarchy), V2Manager (one
// cgroup2 directory) and HybridManager, their composition (v1 controllers,
// cgroup2 for membership, cgroup.kill and the device program), and
// SystemdManager (lib/cgroups/systemd), a transient scope over one of those.
import type { CgroupFsOp } from '../native';
import type { Resources } from '../spec/types';
import type { CgroupLayoutKind } from './mountinfo';
import type { CgroupDirs } from './path';
import type { CgroupReader } from './reader';
import type { CgroupStats } from './stats';
import type { DeviceProgramOps } from './device-program';

export interface CgroupManager {
  readonly kind: CgroupLayoutKind;
  readonly dirs: CgroupDirs;
  /** Makes the directories and applies the resources; refuses (naming the field) what the host cannot apply. */
  create(resources: Resources | undefined): void;
  /** Writes resources into the existing cgroup (update); only the sections given are touched. */
  update(resources: Resources): void | Promise<void>;
  /** The cgroup2 directory for clone3(CLONE_INTO_CGROUP), if any. */
  cloneIntoDir(): string | undefined;
  /** Moves a process into every hierarchy CLONE_INTO_CGROUP does not cover (all of them with includeV2). */
  join(pid: number, opts?: { includeV2?: boolean }): void;
  /** Freezes and resolves once every task is frozen. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Frozen or being frozen (runc's "paused"). */
  isFrozen(): boolean;
  /** Every pid in the cgroup and its sub-cgroups. */
  pids(): number[];
  /** Signals every process (SIGKILL: until the cgroup is empty); a paused cgroup stays frozen unless the signal kills. */
  signalAll(signal: number): Promise<void>;
  stats(): CgroupStats;
  /** OOM kills so far (memory.events oom_kill, v1 memory.oom_control oom_kill), undefined when unknown. */
  oomKills(): number | undefined;
  /** The v1 memory directory (OOM eventfd), if any. */
  v1MemoryDir(): string | undefined;
  /** runc's check before create: a cgroup holding processes or frozen is not reused. */
  refuseIfPopulated(): void;
  /** Kills what is left, then removes the directories (sub-cgroups first). */
  destroy(): Promise<void>;
  /** Removes the directories (nothing may be left in them). */
  remove(): void;
}

export interface ManagerDeps {
  apply: (ops: CgroupFsOp[]) => void;
  reader: CgroupReader;
  kill?: (pid: number, signal: number) => void;
  sleep: (ms: number) => Promise<void>;
  /** cgroup2 device programs (the addon's bpf calls); only v2 and hybrid managers use them. */
  devices?: () => DeviceProgramOps;
}

/** The layout a recorded set of directories belongs to. */
export function layoutOfDirs(dirs: CgroupDirs): CgroupLayoutKind {
  if (dirs.v1.length === 0) return 'v2';
  return dirs.v2 ? 'hybrid' : 'v1';
}
