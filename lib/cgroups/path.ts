// Where the container's cgroup lives in each hierarchy, with runc's cgroupfs
// driver rules for linux.cgroupsPath:
//   absolute ("/a/b")  → <mount point>/a/b in every hierarchy;
//   relative ("a/b")   → under the runtime process's own cgroup in that
//                        hierarchy (from /proc/self/cgroup), e.g. when the
//                        runtime runs in a systemd scope or a pod cgroup;
//   unset or ""        → relative "<id>" (runc's specconv sets Name=id,
//                        and fs/paths.go innerPath joins Parent "" + Name).
// runc silently cleans ".." out of the path; we refuse it instead, since a
// config asking for it is either a mistake or an escape attempt.
import * as path from 'path';
import { ConfigError, RuntimeError } from '../errors';
import { CgroupHierarchy, CgroupLayout } from './mountinfo';

export interface CgroupDir {
  version: 1 | 2;
  /** v1 controllers of the hierarchy (`cpu`, `name=systemd`...); [] for v2. */
  controllers: string[];
  mountPoint: string;
  /** Absolute host directory of the container's cgroup. */
  path: string;
}

/** JSON-serialisable: it is persisted in the container record. */
export interface CgroupDirs {
  v1: CgroupDir[];
  v2?: CgroupDir;
  /** Set under the systemd driver: the transient scope that owns the directories (lib/cgroups/systemd). */
  systemd?: { unit: string; slice: string };
}

/** runc's systemd driver form, "slice:prefix:name" (Docker and Podman send it with the systemd cgroup manager). */
const SYSTEMD_CGROUPS_PATH = /^[^/:]*:[^/:]*:[^/:]+$/;

/**
 * Normalises cgroupsPath ("//a/./b/" → "/a/b"); ".." anywhere is a ConfigError,
 * and so is the systemd driver's form under this (cgroupfs) driver: runc's
 * would make a directory named "system.slice:docker:abc" of it.
 */
export function normalizeCgroupsPath(cgroupsPath: string): string {
  if (SYSTEMD_CGROUPS_PATH.test(cgroupsPath)) {
    throw new ConfigError(
      `cgroupsPath ${JSON.stringify(cgroupsPath)} is in the systemd driver's "slice:prefix:name" form, which the cgroupfs driver does not take (it takes a path)`,
      undefined,
      'linux.cgroupsPath',
    );
  }
  const parts = cgroupsPath.split('/');
  if (parts.includes('..')) {
    throw new ConfigError(`invalid cgroupsPath ${JSON.stringify(cgroupsPath)}: ".." is not allowed`, undefined, 'linux.cgroupsPath');
  }
  const clean = parts.filter((p) => p !== '' && p !== '.').join('/');
  return cgroupsPath.startsWith('/') ? `/${clean}` : clean;
}

function ownCgroup(h: CgroupHierarchy, self: Map<string, string>): string | undefined {
  if (h.version === 2) return self.get('');
  for (const c of h.controllers) {
    const p = self.get(c);
    if (p !== undefined) return p;
  }
  return undefined;
}

function hierarchyDir(h: CgroupHierarchy, self: Map<string, string>, inner: string): string | undefined {
  let base = h.mountPoint;
  if (!inner.startsWith('/')) {
    const own = ownCgroup(h, self);
    if (own === undefined) return undefined;
    const rel = path.posix.relative(h.root, own);
    if (rel === '..' || rel.startsWith('../')) {
      throw new RuntimeError(`cgroup ${own} of this process is outside the mount ${h.mountPoint} (root ${h.root})`);
    }
    base = path.posix.join(h.mountPoint, rel);
  }
  const dir = path.posix.join(base, inner).replace(/\/+$/, '');
  // The hierarchy root itself would make the container own every host process.
  if (dir === h.mountPoint) {
    throw new ConfigError(`invalid cgroupsPath: the container cannot use the root cgroup`, undefined, 'linux.cgroupsPath');
  }
  return dir;
}

/**
 * The container cgroup directory in every mounted hierarchy: all v1
 * hierarchies including named ones like name=systemd (runc joins those too),
 * and the cgroup2 hierarchy (also in hybrid mode, as runc does).
 * A hierarchy absent from /proc/self/cgroup is skipped, except devices:
 * its absence is fatal for security, as in runc.
 */
export function resolveCgroupDirs(
  layout: CgroupLayout,
  selfCgroup: Map<string, string>,
  cgroupsPath: string | undefined,
  id: string,
): CgroupDirs {
  const inner = normalizeCgroupsPath(cgroupsPath ? cgroupsPath : id);
  const dirs: CgroupDirs = { v1: [] };
  for (const h of layout.hierarchies) {
    const dir = hierarchyDir(h, selfCgroup, inner);
    if (dir === undefined) {
      if (h.controllers.includes('devices')) {
        throw new RuntimeError('devices cgroup: this process is not in the devices hierarchy');
      }
      continue;
    }
    const entry: CgroupDir = { version: h.version, controllers: [...h.controllers], mountPoint: h.mountPoint, path: dir };
    if (h.version === 2) dirs.v2 = entry;
    else dirs.v1.push(entry);
  }
  return dirs;
}

/** The v1 directory of a controller, or undefined when it is not mounted. */
export function v1DirFor(dirs: CgroupDirs, controller: string): CgroupDir | undefined {
  return dirs.v1.find((d) => d.controllers.includes(controller));
}

/** Every directory once (a comounted cpu,cpuacct hierarchy is one entry). */
export function allDirs(dirs: CgroupDirs): CgroupDir[] {
  return dirs.v2 ? [...dirs.v1, dirs.v2] : [...dirs.v1];
}
