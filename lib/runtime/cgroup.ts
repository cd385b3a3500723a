// The container's cgroups for create and delete: where (runc's cgroupfs
// rules, lib/cgroups/path.ts), what is written (lib/cgroups/resources.ts),
// and the order around clone3.
import * as fs from 'fs';
import { native } from '../native';
import type { Spec } from '../spec/types';
import { detectLayout } from '../cgroups/mountinfo';
import { parseProcCgroup } from '../cgroups/proc-cgroup';
import { CgroupDirs, resolveCgroupDirs } from '../cgroups/path';
import { createCgroups, killAll, planCgroupJoin, planCgroupRemove, refuseIfPopulated, v2Dir } from '../cgroups/manager';
import { refuseUnenforceableDevices } from '../cgroups/resources';
import { ConfigError } from '../errors';
import { withAllowedDevices } from '../cgroups/allowed-devices';
import type { CgroupV1Mount } from '../plan/plan-types';

const SIGKILL = 9;

export interface ContainerCgroup {
  dirs: CgroupDirs;
  /** cgroup2 directory for CLONE_INTO_CGROUP. */
  v2Dir?: string;
  /** What "cgroup" mounts in config.json expose (v1 hierarchies, else cgroup2). */
  planContext: { v1Mounts?: CgroupV1Mount[] };
  /** Puts the (still waiting) init into every v1 hierarchy. */
  join(pid: number): void;
}

/** A resource refusal names the field; this adds the file, like every config error. */
function inConfigFile(e: unknown, configPath: string): unknown {
  if (!(e instanceof ConfigError) || e.file) return e;
  return new ConfigError(`${configPath}: ${e.message}`, configPath, e.field);
}

/**
 * Resolves, checks and creates the container's cgroups with their limits.
 * A resource the host cannot apply refuses the create (naming the field)
 * and removes what was made.
 */
export function setUpCgroup(config: Spec, id: string, configPath: string): ContainerCgroup {
  const layout = detectLayout(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
  const self = parseProcCgroup(fs.readFileSync('/proc/self/cgroup', 'utf8'));
  const dirs = resolveCgroupDirs(layout, self, config.linux?.cgroupsPath, id);
  try {
    refuseUnenforceableDevices(config.linux?.resources, layout.kind);
  } catch (e) {
    throw inConfigFile(e, configPath);
  }
  refuseIfPopulated(dirs);
  const resources = withAllowedDevices(config.linux?.resources, config.linux?.devices);
  try {
    createCgroups(layout, dirs, resources);
  } catch (e) {
    removeCgroupDirs(dirs);
    throw inConfigFile(e, configPath);
  }
  return {
    dirs,
    v2Dir: v2Dir(dirs),
    planContext: layout.kind === 'v2' ? {} : { v1Mounts: dirs.v1.map((d) => ({ controller: d.controllers.join(','), hostDir: d.path })) },
    join: (pid) => {
      const ops = planCgroupJoin(dirs, pid);
      if (ops.length) native().cgroupApply(ops);
    },
  };
}

/** Kills whatever is left in the cgroups, then removes them. */
export async function removeCgroup(dirs: CgroupDirs | undefined, warn?: (m: string) => void): Promise<void> {
  if (!dirs) return;
  try {
    await killAll(dirs, SIGKILL);
    removeCgroupDirs(dirs);
  } catch (e) {
    if (!warn) throw e;
    warn(`cgroup cleanup: ${(e as Error).message}`);
  }
}

function removeCgroupDirs(dirs: CgroupDirs): void {
  native().cgroupApply(planCgroupRemove(dirs));
}

export async function signalCgroup(dirs: CgroupDirs | undefined, signal: number): Promise<void> {
  if (dirs) await killAll(dirs, signal);
}
