// /dev contents: device nodes and the standard symlinks, created after all
// mounts (so they land in the /dev tmpfs) unless config.json bind-mounts /dev.
import type { Device } from '../spec/types';
import type { PlanOp } from './ops';
import * as K from './linux-constants';
import { containerPath } from './mounts';

/** The spec's default devices (config-linux.md "Default Devices"), char, 0666, root-owned. */
export const DEFAULT_DEVICES: readonly Required<Device>[] = [
  { type: 'c', path: '/dev/null', major: 1, minor: 3, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/zero', major: 1, minor: 5, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/full', major: 1, minor: 7, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/random', major: 1, minor: 8, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/urandom', major: 1, minor: 9, fileMode: 0o666, uid: 0, gid: 0 },
  { type: 'c', path: '/dev/tty', major: 5, minor: 0, fileMode: 0o666, uid: 0, gid: 0 },
];

const DEV_SYMLINKS: readonly [target: string, path: string][] = [
  ['/proc/self/fd', '/dev/fd'],
  ['/proc/self/fd/0', '/dev/stdin'],
  ['/proc/self/fd/1', '/dev/stdout'],
  ['/proc/self/fd/2', '/dev/stderr'],
  // The devpts mounted with newinstance has its own ptmx; /dev/ptmx must be it.
  ['pts/ptmx', '/dev/ptmx'],
];

const FILE_TYPES: Readonly<Record<Device['type'], number>> = { c: K.S_IFCHR, u: K.S_IFCHR, b: K.S_IFBLK, p: K.S_IFIFO };

function mknodOp(d: Device): PlanOp {
  return {
    op: 'mknod',
    path: containerPath(d.path),
    type: FILE_TYPES[d.type],
    // fileMode may carry S_IFMT bits; only the permission bits are ours to pass.
    mode: (d.fileMode ?? 0o666) & 0o7777,
    major: d.major ?? 0,
    minor: d.minor ?? 0,
    uid: d.uid ?? 0,
    gid: d.gid ?? 0,
  };
}

// mknod is EPERM in a user namespace: the host's node is bind-mounted
// instead (runc's bindMountDeviceNode), with the host's owner and mode.
function bindDevOp(d: Device): PlanOp {
  return { op: 'bindDev', path: containerPath(d.path), hostPath: containerPath(d.path) };
}

/**
 * Default devices the config does not list itself, then the config's
 * devices, then the symlinks. `bind`: the container has a user namespace.
 */
export function deviceOps(devices: readonly Device[], bind = false): PlanOp[] {
  const listed = new Set(devices.map((d) => containerPath(d.path)));
  const defaults = DEFAULT_DEVICES.filter((d) => !listed.has(d.path));
  const nodeOp = bind ? bindDevOp : mknodOp;
  return [
    ...defaults.map(nodeOp),
    ...devices.map(nodeOp),
    ...DEV_SYMLINKS.map(([target, path]): PlanOp => ({ op: 'symlink', target, path })),
  ];
}
