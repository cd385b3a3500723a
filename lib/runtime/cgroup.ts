// The container's cgroups for create and delete: where (runc's cgroupfs
// rules, lib/cgroups/path.ts), what is written (lib/cgroups/resources.ts),
// and the order around clone3. Everything is done through a CgroupManager
// (lib/cgroups/cgroup-manager.ts), chosen by the host's layout and the
// driver (cgroupfs, or systemd: lib/cgroups/systemd); none for a rootless
// container without a writable cgroup.
import * as fs from 'fs';
import type { Spec } from '../spec/types';
import { detectLayout } from '../cgroups/mountinfo';
import { parseProcCgroup } from '../cgroups/proc-cgroup';
import { CgroupDirs, resolveCgroupDirs } from '../cgroups/path';
import type { CgroupManager } from '../cgroups/cgroup-manager';
import { openCgroupManager } from '../cgroups/open-manager';
import { planCgroupJoin, selfJoinFiles } from '../cgroups/manager';
import { native } from '../native';
import { ConfigError } from '../errors';
import { withAllowedDevices } from '../cgroups/allowed-devices';
import type { CgroupV1Mount } from '../plan/plan-types';
import { systemdUnitFor } from '../cgroups/systemd/unit-name';
import { ANY_VERSION, SystemdManager } from '../cgroups/systemd/systemd-manager';
import { connectSystemd } from '../cgroups/systemd/dbus-client';
import { inUserNamespace } from './context';

/** cgroupfs writes the directories itself; systemd makes a transient scope over D-Bus. */
export type CgroupDriver = 'cgroupfs' | 'systemd';

export interface ContainerCgroup {
  /** Undefined when cgroups were skipped (rootless, without a writable cgroup). */
  dirs?: CgroupDirs;
  manager?: CgroupManager;
  /** cgroup2 directory for CLONE_INTO_CGROUP. */
  v2Dir?: string;
  /** What "cgroup" mounts in config.json expose (v1 hierarchies, else cgroup2). */
  planContext: { v1Mounts?: CgroupV1Mount[] };
  /**
   * The v1 `tasks` files the init writes "0" into itself, as its first step
   * (native/init/cgroup_join_ops.cc says why not the runtime).
   */
  selfJoin?: string[];
  /** Puts pid in the cgroups selfJoin and CLONE_INTO_CGROUP do not (systemd's scope). */
  join(pid: number): Promise<void>;
}

/** A resource refusal names the field; this adds the file, like every config error. */
export function inConfigFile(e: unknown, configPath: string): unknown {
  if (!(e instanceof ConfigError) || e.file) return e;
  return new ConfigError(`${configPath}: ${e.message}`, configPath, e.field);
}

/** The container's cgroup directories on this host (nothing is made); under systemd, the scope's. */
export function hostCgroupDirs(config: Spec, id: string, driver: CgroupDriver = 'cgroupfs'): { dirs: CgroupDirs; kind: string } {
  const layout = detectLayout(fs.readFileSync('/proc/self/mountinfo', 'utf8'));
  const self = parseProcCgroup(fs.readFileSync('/proc/self/cgroup', 'utf8'));
  if (driver === 'systemd') {
    const unit = systemdUnitFor(config.linux?.cgroupsPath, id);
    const dirs = resolveCgroupDirs(layout, self, unit.cgroupPath, id);
    return { dirs: { ...dirs, systemd: { unit: unit.unit, slice: unit.slice } }, kind: layout.kind };
  }
  return { dirs: resolveCgroupDirs(layout, self, config.linux?.cgroupsPath, id), kind: layout.kind };
}

const planContextOf = (dirs: CgroupDirs, kind: string): ContainerCgroup['planContext'] =>
  kind === 'v2' ? {} : { v1Mounts: dirs.v1.map((d) => ({ controller: d.controllers.join(','), hostDir: d.path })) };

/**
 * Resolves, checks and creates the container's cgroups with their limits.
 * A resource the host cannot apply refuses the create (naming the field)
 * and removes what was made.
 */
export async function setUpCgroup(config: Spec, id: string, configPath: string, driver: CgroupDriver = 'cgroupfs'): Promise<ContainerCgroup> {
  if (driver === 'systemd') return setUpSystemdCgroup(config, id, configPath);
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
    planContext: planContextOf(dirs, kind),
    selfJoin: selfJoinFiles(dirs),
    join: async () => undefined,
  };
}

/**
 * Under systemd nothing is made before the init exists: systemd creates
 * the scope's cgroup with the init's pid in it (a scope cannot start
 * empty, so there is no CLONE_INTO_CGROUP for create). The init waits on
 * the sync channel meanwhile: it runs nothing of the plan before it is in
 * the scope with every limit written. Everything that can be refused is
 * checked here first (the path, the properties, the bus), so bad input
 * leaves no unit behind.
 */
async function setUpSystemdCgroup(config: Spec, id: string, configPath: string): Promise<ContainerCgroup> {
  const { dirs, kind } = inConfig(() => hostCgroupDirs(config, id, 'systemd'), configPath);
  const manager = openCgroupManager(dirs) as SystemdManager;
  manager.refuseIfPopulated();
  const resources = withAllowedDevices(config.linux?.resources, config.linux?.devices);
  const scope = { id, resources, annotations: config.annotations };
  inConfig(() => manager.scopeProperties(0, scope, { systemdVersion: ANY_VERSION }), configPath);
  // The bus is reached before the init is cloned: an unreachable one fails the create with nothing made.
  (await connectSystemd()).close();
  return {
    dirs,
    manager,
    planContext: planContextOf(dirs, kind),
    join: async (pid) => {
      try {
        await manager.start(pid, scope);
      } catch (e) {
        throw inConfigFile(e, configPath);
      }
      // The hierarchies systemd does not manage (v1 net_cls, perf_event...); a no-op where it put the pid already.
      const ops = planCgroupJoin(dirs, pid, { includeV2: true });
      if (ops.length) await native().cgroupApplyAsync(ops);
    },
  };
}

function inConfig<T>(fn: () => T, configPath: string): T {
  try {
    return fn();
  } catch (e) {
    throw inConfigFile(e, configPath);
  }
}

function errorCode(e: unknown): string | undefined {
  return (e as { code?: string } | undefined)?.code;
}

/** The first resource section that asks for a limit (devices rules aside: see below), or undefined. */
function limitField(resources: object | undefined): string | undefined {
  if (!resources) return undefined;
  return Object.keys(resources).find((k) => k !== 'devices' && (resources as Record<string, unknown>)[k] !== undefined);
}

/**
 * For an ordinary user, or root of a user namespace (rootless), runc's rule:
 * cgroupfs cgroups are used where the user may write them (a delegated
 * subtree), else skipped with a debug line. A limit asked for cannot be
 * skipped: it refuses the create. The device rules are not a limit there:
 * without mknod (user namespace) the container reaches only device nodes
 * bound from the host, with the host's permissions.
 */
export async function setUpCgroupUnlessDenied(config: Spec, id: string, configPath: string,
  driver: CgroupDriver = 'cgroupfs', debug?: (line: string) => void): Promise<ContainerCgroup> {
  const euid = process.geteuid?.() ?? 0;
  if (driver === 'systemd' || (euid === 0 && !inUserNamespace())) return setUpCgroup(config, id, configPath, driver);
  try {
    return await setUpCgroup(config, id, configPath, driver);
  } catch (e) {
    const code = errorCode(e);
    if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') throw e;
    const field = limitField(config.linux?.resources);
    if (field) {
      throw new ConfigError(`${configPath}: /linux/resources/${field}: cgroup limits need a cgroup uid ${euid} may write (a delegated subtree): ${(e as Error).message}`,
        configPath, `/linux/resources/${field}`);
    }
    debug?.(`cgroups skipped: not writable by uid ${euid} (${(e as Error).message})`);
    return { planContext: {}, join: async () => undefined };
  }
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
