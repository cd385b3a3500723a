// Values the host cannot honour, refused before any directory is made,
// naming the field: a cpuset with cpus or memory nodes the host does not
// have (the kernel's EINVAL would not say which field).
import * as path from 'path';
import type { Resources } from '../spec/types';
import { allDirs, CgroupDirs } from './path';
import type { CgroupReader } from './reader';
import { fieldRefusal } from './write';

/** "0-3,5" → the set; undefined when malformed. */
export function parseIdList(s: string): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of s.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) return undefined;
    const [a, b] = [Number(m[1]), Number(m[2] ?? m[1])];
    if (b < a || b - a > 65536) return undefined;
    for (let i = a; i <= b; i++) out.add(i);
  }
  return out;
}

/** What the hierarchy root offers: v1 cpuset.effective_cpus, v2 cpuset.cpus.effective (and mems). */
function hostList(dirs: CgroupDirs, what: 'cpus' | 'mems', reader: CgroupReader): Set<number> | undefined {
  const dir = allDirs(dirs).find((d) => (d.version === 1 ? d.controllers.includes('cpuset') : true));
  if (!dir) return undefined;
  const files = dir.version === 1 ? [`cpuset.effective_${what}`, `cpuset.${what}`] : [`cpuset.${what}.effective`];
  for (const f of files) {
    const content = reader.read(path.join(dir.mountPoint, f))?.trim();
    if (content) return parseIdList(content);
  }
  return undefined;
}

export function checkCpusetAgainstHost(dirs: CgroupDirs, resources: Resources | undefined, reader: CgroupReader): void {
  for (const what of ['cpus', 'mems'] as const) {
    const value = resources?.cpu?.[what];
    if (!value) continue;
    const field = `linux.resources.cpu.${what}`;
    const wanted = parseIdList(value);
    if (!wanted) throw fieldRefusal(field, `invalid list ${JSON.stringify(value)}`);
    const host = hostList(dirs, what, reader);
    if (!host) continue;
    const missing = [...wanted].filter((n) => !host.has(n));
    if (missing.length) {
      throw fieldRefusal(field, `${what === 'cpus' ? 'cpu' : 'memory node'} ${missing.join(',')} is not available on this host`);
    }
  }
}
