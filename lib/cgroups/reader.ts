// Read-only access to cgroupfs, injectable so plans can be computed against a
// fake tree. Missing files read as undefined: cgroups vanish concurrently
// (ENOENT) and a removed cgroup's files fail with ENODEV.
import * as fs from 'fs';
import * as path from 'path';

export interface CgroupReader {
  exists(p: string): boolean;
  /** File content, or undefined when it (or its cgroup) is gone. */
  read(p: string): string | undefined;
  /** Names of the subdirectories (child cgroups) of a directory; [] when it is gone. */
  subdirs(dir: string): string[];
  /** Names of the files in a directory (hugetlb page sizes); [] when it is gone. */
  files?(dir: string): string[];
}

function isGone(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENODEV' || code === 'ENOTDIR';
}

export const fsCgroupReader: CgroupReader = {
  exists: (p) => fs.existsSync(p),
  read(p) {
    try {
      return fs.readFileSync(p, 'utf8');
    } catch (e) {
      if (isGone(e)) return undefined;
      throw e;
    }
  },
  subdirs(dir) {
    try {
      return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch (e) {
      if (isGone(e)) return [];
      throw e;
    }
  },
  files(dir) {
    try {
      return fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => d.name);
    } catch (e) {
      if (isGone(e)) return [];
      throw e;
    }
  },
};

/** Every directory of the tree rooted at `dir` (itself included), parents before children. */
export function cgroupTree(dir: string, reader: CgroupReader): string[] {
  if (!reader.exists(dir)) return [];
  const out = [dir];
  for (let i = 0; i < out.length; i++) {
    for (const name of reader.subdirs(out[i])) out.push(path.join(out[i], name));
  }
  return out;
}

/** The pids in a cgroup.procs file (empty when gone). */
export function readProcs(file: string, reader: CgroupReader): number[] {
  const content = reader.read(file) ?? '';
  return content
    .split('\n')
    .filter((l) => /^\d+$/.test(l.trim()))
    .map((l) => Number(l.trim()));
}
