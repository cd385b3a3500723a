// linux.resources.unified: raw cgroup v2 "file": "value" pairs, written last
// so they override the translated values (runc does the same).
import { ConfigError } from '../../errors';
import { CgroupWrite } from '../write';

// Writing these would move processes or reshape the tree, not set a limit.
const FORBIDDEN = new Set(['cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control', 'cgroup.type', 'cgroup.kill']);

export function unifiedWrites(unified: Record<string, string> | undefined): CgroupWrite[] {
  const writes: CgroupWrite[] = [];
  for (const [file, value] of Object.entries(unified ?? {})) {
    if (!/^[a-z_]+\.[A-Za-z0-9_.]+$/.test(file) || file.includes('..') || FORBIDDEN.has(file)) {
      throw new ConfigError(`invalid unified resource ${JSON.stringify(file)}`, undefined, `linux.resources.unified`);
    }
    writes.push({ file, value: String(value) });
  }
  return writes;
}
