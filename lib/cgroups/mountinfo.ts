// Finds the cgroup hierarchies in /proc/self/mountinfo content.
//
// A line is: id parent major:minor root mountpoint options [optional...] - fstype source superoptions
// For cgroup v1 the controllers (and `name=...` for named hierarchies) are in
// the superoptions; `root` is the cgroup path of the mount's root, which is
// not "/" when the hierarchy is bind-mounted from a sub-cgroup (inside a
// container without a private cgroup namespace).
import { RuntimeError } from '../errors';

export interface CgroupHierarchy {
  version: 1 | 2;
  /** v1: controllers sharing this mount (`cpu`,`cpuacct`, or `name=systemd`); v2: []. */
  controllers: string[];
  mountPoint: string;
  /** The cgroup path that the mount point shows ("/" normally). */
  root: string;
}

export type CgroupLayoutKind = 'v1' | 'v2' | 'hybrid';

export interface CgroupLayout {
  kind: CgroupLayoutKind;
  /** v1 controller (or `name=xxx`) → mount point. */
  v1: Map<string, string>;
  /** cgroup2 mount point. */
  v2?: string;
  /** One entry per mounted hierarchy, first mount wins, in mountinfo order. */
  hierarchies: CgroupHierarchy[];
}

// Superoptions of a v1 cgroup mount that are not controllers.
const V1_MOUNT_OPTIONS = new Set(['rw', 'ro', 'xattr', 'noprefix', 'clone_children', 'cpuset_v2_mode', 'all', 'none']);

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
export function unescapeMountPath(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export interface MountinfoEntry {
  root: string;
  mountPoint: string;
  fstype: string;
  superOptions: string[];
}

export function parseMountinfo(content: string): MountinfoEntry[] {
  const entries: MountinfoEntry[] = [];
  for (const line of content.split('\n')) {
    if (!line.trim()) continue;
    const fields = line.split(' ');
    // The optional fields end at a lone "-"; it is never before index 6.
    const sep = fields.indexOf('-', 6);
    if (sep < 0 || fields.length < sep + 4) continue;
    entries.push({
      root: unescapeMountPath(fields[3]),
      mountPoint: unescapeMountPath(fields[4]),
      fstype: fields[sep + 1],
      superOptions: fields[sep + 3].split(','),
    });
  }
  return entries;
}

function v1Controllers(superOptions: string[]): string[] {
  return superOptions.filter(
    (o) => o.startsWith('name=') || (!o.includes('=') && !V1_MOUNT_OPTIONS.has(o) && o !== ''),
  );
}

export function cgroupHierarchies(content: string): CgroupHierarchy[] {
  const hierarchies: CgroupHierarchy[] = [];
  const seen = new Set<string>();
  for (const entry of parseMountinfo(content)) {
    if (entry.fstype === 'cgroup2') {
      if (seen.has('')) continue;
      seen.add('');
      hierarchies.push({ version: 2, controllers: [], mountPoint: entry.mountPoint, root: entry.root });
    } else if (entry.fstype === 'cgroup') {
      const controllers = v1Controllers(entry.superOptions);
      if (controllers.length === 0 || controllers.some((c) => seen.has(c))) continue;
      controllers.forEach((c) => seen.add(c));
      hierarchies.push({ version: 1, controllers, mountPoint: entry.mountPoint, root: entry.root });
    }
  }
  return hierarchies;
}

export function detectLayout(mountinfo: string): CgroupLayout {
  const hierarchies = cgroupHierarchies(mountinfo);
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  for (const h of hierarchies) {
    if (h.version === 2) v2 = h.mountPoint;
    else for (const c of h.controllers) v1.set(c, h.mountPoint);
  }
  if (v1.size === 0 && v2 === undefined) throw new RuntimeError('no cgroup filesystem is mounted');
  const kind: CgroupLayoutKind = v1.size === 0 ? 'v2' : v2 === undefined ? 'v1' : 'hybrid';
  return { kind, v1, v2, hierarchies };
}
