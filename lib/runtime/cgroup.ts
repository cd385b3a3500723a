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
import { unsupportedResources } from '../cgroups/resources';
import { withAllowedDevices } from '../cgroups/allowed-devices';
import type { CgroupV1Mount } from '../plan/plan-types';

const SIGKILL = 9;

export interface ContainerCgroup {
  dirs: CgroupDirs;
  /** cgroup2 directory for CLONE_INTO_CGROUP. */
  v2Dir?: string;
  /** What "cgroup" mounts in config.json expose (v1 hierarchies, else cgroup2). */
  planContext: { v1Mounts?: CgroupV1Mount[] };
  /** Resource settings this layout cannot apply yet (one line each, for the caller to log). */
  warnings: string[];
  /** Puts the (still waiting) init into every v1 hierarchy. */
  join(pid: number): void;
}

/** Resolves, checks and creates the container's cgroups with their limits. */
export function setUpCgroup(config: Spec, id: string): ContainerCgroup {
  const layout = detectLayout(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
  const self = parseProcCgroup(fs.readFileSync('/proc/self/cgroup', 'utf8'));
  const dirs = resolveCgroupDirs(layout, self, config.linux?.cgroupsPath, id);
  refuseIfPopulated(dirs);
  const resources = withAllowedDevices(config.linux?.resources, config.linux?.devices);
  try {
    createCgroups(layout, dirs, resources);
  } catch (e) {
    removeCgroupDirs(dirs);
    throw e;
  }
  const version = layout.kind === 'v2' ? 2 : 1;
  return {
    dirs,
    v2Dir: v2Dir(dirs),
    warnings: unsupportedResources(config.linux?.resources, version).map(
      (k) => `linux.resources.${k} is not supported yet on cgroup v${version} and is ignored`,
    ),
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
