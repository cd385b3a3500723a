// linux.resources.unified: raw cgroup v2 "file": "value" pairs, written last
// so they override the translated values (runc does the same).
import { ConfigError } from '../../errors';
import { CgroupWrite, fieldRefusal } from '../write';

// Writing these would move processes or reshape the tree, not set a limit.
const FORBIDDEN = new Set(['cgroup.procs', 'cgroup.threads', 'cgroup.subtree_control', 'cgroup.type', 'cgroup.kill']);

// The cgroup2 controllers (and the core "cgroup." files) a key can belong to.
const KNOWN_PREFIXES = new Set(['cgroup', 'cpu', 'cpuset', 'memory', 'io', 'pids', 'hugetlb', 'rdma', 'misc']);

export function unifiedWrites(unified: Record<string, string> | undefined): CgroupWrite[] {
  const writes: CgroupWrite[] = [];
  for (const [file, value] of Object.entries(unified ?? {})) {
    if (!/^[a-z_]+\.[A-Za-z0-9_.]+$/.test(file) || file.includes('..') || FORBIDDEN.has(file)) {
      throw new ConfigError(`invalid unified resource ${JSON.stringify(file)}`, undefined, `linux.resources.unified`);
    }
    if (!KNOWN_PREFIXES.has(file.split('.')[0])) {
      throw fieldRefusal(`linux.resources.unified.${file}`, `unknown cgroup v2 controller "${file.split('.')[0]}"`);
    }
    // A key whose file does not exist (an unknown or disabled controller) refuses the create by name.
    writes.push({ file, value: String(value), field: `linux.resources.unified.${file}` });
  }
  return writes;
}
