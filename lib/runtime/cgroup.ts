// The container's cgroups for create and delete: where (runc's cgroupfs
// rules, lib/cgroups/path.ts), what is written (lib/cgroups/resources.ts),
// and the order around clone3. Everything is done through a CgroupManager
// (lib/cgroups/cgroup-manager.ts), chosen by the host's layout.
import * as fs from 'fs';
import type { Spec } from '../spec/types';
import { detectLayout } from '../cgroups/mountinfo';
import { parseProcCgroup } from '../cgroups/proc-cgroup';
import { CgroupDirs, resolveCgroupDirs } from '../cgroups/path';
import type { CgroupManager } from '../cgroups/cgroup-manager';
import { openCgroupManager } from '../cgroups/open-manager';
import { planCgroupJoin } from '../cgroups/manager';
import { native } from '../native';
import { ConfigError } from '../errors';
import { withAllowedDevices } from '../cgroups/allowed-devices';
import type { CgroupV1Mount } from '../plan/plan-types';

export interface ContainerCgroup {
  dirs: CgroupDirs;
  manager: CgroupManager;
  /** cgroup2 directory for CLONE_INTO_CGROUP. */
  v2Dir?: string;
  /** What "cgroup" mounts in config.json expose (v1 hierarchies, else cgroup2). */
  planContext: { v1Mounts?: CgroupV1Mount[] };
  /** Moves pid into the v1 cgroups, off the main thread (cgroup.procs waits for an RCU grace period). */
  join(pid: number): Promise<void>;
}

/** A resource refusal names the field; this adds the file, like every config error. */
export function inConfigFile(e: unknown, configPath: string): unknown {
  if (!(e instanceof ConfigError) || e.file) return e;
  return new ConfigError(`${configPath}: ${e.message}`, configPath, e.field);
}

/** The container's cgroup directories on this host (nothing is made). */
export function hostCgroupDirs(config: Spec, id: string): { dirs: CgroupDirs; kind: string } {
  const layout = detectLayout(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
  const self = parseProcCgroup(fs.readFileSync('/proc/self/cgroup', 'utf8'));
  return { dirs: resolveCgroupDirs(layout, self, config.linux?.cgroupsPath, id), kind: layout.kind };
}

/**
 * Resolves, checks and creates the container's cgroups with their limits.
 * A resource the host cannot apply refuses the create (naming the field)
 * and removes what was made.
 */
export function setUpCgroup(config: Spec, id: string, configPath: string): ContainerCgroup {
  const { dirs, kind } = hostCgroupDirs(config, id);
  const manager = openCgroupManager(dirs);
  manager.refuseIfPopulated();
  const resources = withAllowedDevices(config.linux?.resources, config.linux?.devices);
  try {
    manager.create(resources);
  } catch (e) {
    manager.remove();
    throw inConfigFile(e, configPath);
  }
  return {
    dirs,
    manager,
    v2Dir: manager.cloneIntoDir(),
    planContext: kind === 'v2' ? {} : { v1Mounts: dirs.v1.map((d) => ({ controller: d.controllers.join(','), hostDir: d.path })) },
    // On the threadpool: the first write of a pid into a v1 cgroup.procs
    // waits out an RCU grace period.
    join: async (pid) => {
      const ops = planCgroupJoin(dirs, pid);
      if (ops.length) await native().cgroupApplyAsync(ops);
    },
  };
}

/** The manager of a recorded container's cgroups, if it has any. */
export function cgroupManagerOf(dirs: CgroupDirs | undefined): CgroupManager | undefined {
  return dirs ? openCgroupManager(dirs) : undefined;
}

/** Kills whatever is left in the cgroups, then removes them. */
export async function removeCgroup(dirs: CgroupDirs | undefined, warn?: (m: string) => void): Promise<void> {
  if (!dirs) return;
  try {
    await openCgroupManager(dirs).destroy();
  } catch (e) {
    if (!warn) throw e;
    warn(`cgroup cleanup: ${(e as Error).message}`);
  }
}

export async function signalCgroup(dirs: CgroupDirs | undefined, signal: number): Promise<void> {
  if (dirs) await openCgroupManager(dirs).signalAll(signal);
}
