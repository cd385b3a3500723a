// Who is in the container's cgroups, and whether they are frozen.
import * as path from 'path';
import { CgroupDirs, allDirs, v1DirFor } from './path';
import { CgroupReader, cgroupTree, fsCgroupReader, readProcs } from './reader';

const trimmed = (s: string | undefined): string => (s ?? '').trim();

/** Every pid in the container's cgroups and their sub-cgroups, sorted, once each. */
export function cgroupPids(dirs: CgroupDirs, reader: CgroupReader = fsCgroupReader): number[] {
  const pids = new Set<number>();
  for (const d of allDirs(dirs)) {
    for (const dir of cgroupTree(d.path, reader)) for (const pid of readProcs(path.join(dir, 'cgroup.procs'), reader)) pids.add(pid);
  }
  return [...pids].sort((a, b) => a - b);
}

/** True when the v1 freezer says FROZEN or the v2 cgroup.freeze is 1. */
export function cgroupFrozen(dirs: CgroupDirs, reader: CgroupReader = fsCgroupReader): boolean {
  const freezer = v1DirFor(dirs, 'freezer');
  if (freezer && trimmed(reader.read(path.join(freezer.path, 'freezer.state'))) === 'FROZEN') return true;
  return !!dirs.v2 && trimmed(reader.read(path.join(dirs.v2.path, 'cgroup.freeze'))) === '1';
}
