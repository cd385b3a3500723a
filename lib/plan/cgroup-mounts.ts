// A "cgroup" mount from config.json. On cgroup v2 it is a cgroup2 mount. On
// v1 it becomes a tmpfs holding one bind mount of the container's own cgroup
// directory per hierarchy, as runc does (mounting the v1 hierarchies
// themselves would expose the host's whole tree).
import * as path from 'path';
import type { PlanOp } from './ops';
import type { CgroupV1Mount } from './plan-types';
import type { MountOptions } from './mount-options';
import * as K from './linux-constants';

const SAFE_FLAGS = K.MS_NOSUID | K.MS_NODEV | K.MS_NOEXEC;

function mount(source: string, destination: string, fstype: string, flags: number, data = ''): PlanOp {
  return { op: 'mount', source, destination, fstype, flags, data, propagation: 0, recAttrSet: 0 };
}

/** Directory name of a hierarchy under the tmpfs ("name=systemd" -> "systemd"). */
export function hierarchyDir(controller: string): string {
  return controller.replace(/^name=/, '');
}

function hierarchyOps(destination: string, m: CgroupV1Mount, bindFlags: number): PlanOp[] {
  const dir = hierarchyDir(m.controller);
  const ops: PlanOp[] = [mount(m.hostDir, path.posix.join(destination, dir), 'bind', bindFlags)];
  // Co-mounted controllers ("cpu,cpuacct") are also reachable by each name,
  // as on the host.
  const names = dir.split(',');
  if (names.length > 1) {
    for (const name of names) ops.push({ op: 'symlink', target: dir, path: path.posix.join(destination, name) });
  }
  return ops;
}

export function cgroupMountOps(destination: string, o: MountOptions, v1Mounts: CgroupV1Mount[] | undefined): PlanOp[] {
  if (!v1Mounts) return [mount('cgroup', destination, 'cgroup2', o.flags, o.data)];
  const readonly = (o.flags & K.MS_RDONLY) !== 0;
  // The tmpfs stays writable until the hierarchy directories exist in it.
  const tmpfsFlags = (o.flags & ~K.MS_RDONLY) | SAFE_FLAGS;
  const ops: PlanOp[] = [mount('tmpfs', destination, 'tmpfs', tmpfsFlags, 'mode=755')];
  for (const m of v1Mounts) ops.push(...hierarchyOps(destination, m, o.flags | SAFE_FLAGS | K.MS_BIND | K.MS_REC));
  if (readonly) ops.push(mount('tmpfs', destination, 'tmpfs', tmpfsFlags | K.MS_REMOUNT | K.MS_RDONLY));
  return ops;
}
