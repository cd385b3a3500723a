// exec --cgroup (runc 1.2): run the exec'd process in an existing
// sub-cgroup of the container's. `[<controller>[,<controller>...]:]<path>`,
// repeatable; a value without a controller applies to every hierarchy
// (and is the only form cgroup v2 accepts) and must then be the only one.
// Paths are relative to the container's cgroup; ".." is refused rather
// than cleaned (as cgroupsPath).
import * as path from 'path';
import { ConfigError } from '../errors';
import type { CgroupDir, CgroupDirs } from './path';

/** Controller ('' = all) → sub-path, with runc's argument errors. */
export function parseSubCgroups(args: readonly string[]): Map<string, string> {
  const paths = new Map<string, string>();
  for (const arg of args) {
    // runc's getSubCgroupPaths: one colon at most; no controller only when alone.
    const parts = arg.split(':');
    if (parts.length > 2) throw bad(`invalid --cgroup argument: ${arg}`);
    if (parts.length === 1 && args.length !== 1) throw bad(`invalid --cgroup argument: ${arg} (missing <controller>: prefix)`);
    const entries: [string, string][] = parts.length === 1
      ? [['', arg]]
      : parts[0].split(',').map((c): [string, string] => [c, parts[1]]);
    for (const [ctrl, sub] of entries) {
      if (parts.length === 2 && ctrl === '') throw bad(`invalid --cgroup argument: ${arg} (empty <controller> prefix)`);
      if (paths.has(ctrl)) throw bad(`invalid --cgroup argument(s): controller ${ctrl} specified multiple times`);
      if (sub.split('/').includes('..')) throw bad(`invalid --cgroup argument: ${arg} (".." is not allowed)`);
      paths.set(ctrl, sub);
    }
  }
  return paths;
}

function bad(message: string): ConfigError {
  return new ConfigError(message, undefined, 'cgroup');
}

function below(dir: CgroupDir, sub: string | undefined): CgroupDir {
  if (sub === undefined) return dir;
  return { ...dir, path: path.join(dir.path, path.posix.normalize(`/${sub}`)) };
}

/** The directories the exec'd process joins: the container's, or the sub-cgroups asked for. */
export function execCgroupDirs(dirs: CgroupDirs, subs: Map<string, string>): CgroupDirs {
  if (subs.size === 0) return dirs;
  const all = subs.get('');
  const known = new Set(dirs.v1.flatMap((d) => d.controllers));
  for (const ctrl of subs.keys()) {
    if (ctrl === '') continue;
    if (!dirs.v1.length) throw bad(`invalid --cgroup argument: controller ${ctrl} on cgroup v2 (only a <cgroup> path is allowed)`);
    if (!known.has(ctrl)) throw bad(`invalid --cgroup argument: unknown controller ${ctrl}`);
  }
  const v1 = dirs.v1.map((d) => below(d, d.controllers.map((c) => subs.get(c)).find((s) => s !== undefined) ?? all));
  return { v1, ...(dirs.v2 ? { v2: below(dirs.v2, all) } : {}) };
}
