// Mount steps: root propagation, the rootfs bind, and config.json's mounts in
// config order.
import * as path from 'path';
import type { Linux, Mount } from '../spec/types';
import type { PlanOp } from './ops';
import type { PlanContext } from './plan-types';
import type { PlanFail } from './plan-fail';
import * as K from './linux-constants';
import { MountOptions, PROPAGATION_FLAGS, parseMountOptions } from './mount-options';
import { cgroupMountOps } from './cgroup-mounts';
import { procMountProblem } from './proc-mounts';

// runc's default: the container sees host mount events, never the reverse.
const DEFAULT_ROOT_PROPAGATION = K.MS_SLAVE | K.MS_REC;

export function rootPropagationFlags(linux: Linux, noPivot: boolean, fail: PlanFail): number {
  const mode = linux.rootfsPropagation;
  if (!mode) return DEFAULT_ROOT_PROPAGATION;
  const flags = PROPAGATION_FLAGS[mode];
  if (flags === undefined) fail('/linux/rootfsPropagation', `rootfsPropagation=${mode} is not supported`);
  // Without pivot_root the old root stays reachable below the container's;
  // a private root would hide that from the host's unmounts (runc refuses too).
  if (noPivot && (flags & K.MS_PRIVATE) !== 0) {
    fail('/linux/rootfsPropagation', 'rootfsPropagation of [r]private is not safe without pivot_root');
  }
  return flags;
}

/**
 * rootfsPropagation applied again to the new "/" after pivot_root: the
 * rootfs bind took its propagation from a parent the ROOTFS step may have
 * made private, so "shared" would otherwise not stick (runc does the same;
 * private is already what the bind got).
 */
export function finalRootPropagationOps(linux: Linux): PlanOp[] {
  const flags = linux.rootfsPropagation ? PROPAGATION_FLAGS[linux.rootfsPropagation] : undefined;
  if (flags === undefined || (flags & K.MS_PRIVATE) !== 0) return [];
  return [{ op: 'rootPropagation', flags }];
}

export function isBindMount(m: Mount, options: MountOptions = parseMountOptions(m.options)): boolean {
  return m.type === 'bind' || (options.flags & K.MS_BIND) !== 0;
}

/** An idmap/ridmap option or per-mount mappings (which runc also takes to mean idmap). */
export function isIdmapped(m: Mount, o: MountOptions = parseMountOptions(m.options)): boolean {
  return o.idmap || m.uidMappings !== undefined || m.gidMappings !== undefined;
}

/** Why a mount cannot be planned, or undefined (shared with config validation). */
export function mountProblem(m: Mount, o: MountOptions): string | undefined {
  if (isIdmapped(m, o) && !isBindMount(m, o)) return 'id-mapped mounts are only supported for bind mounts';
  if (o.recursiveClears.length) return `mount option ${JSON.stringify(o.recursiveClears[0])} is not supported yet`;
  // Stricter than runc, which ignores it elsewhere: a copy-up is only defined onto a fresh tmpfs.
  if (o.tmpcopyup && (m.type !== 'tmpfs' || isBindMount(m, o))) return 'mount option "tmpcopyup" is only for tmpfs mounts';
  // The kernel ignores fs data on a bind mount and cannot apply it per mount point.
  if (isBindMount(m, o) && o.data) return 'bind mounts cannot have any filesystem-specific options applied';
  return procMountProblem(m, containerPath(m.destination), isBindMount(m, o));
}

/** A clean absolute container path ("/dev//pts/" -> "/dev/pts"). */
export function containerPath(p: string): string {
  const clean = path.posix.normalize(path.posix.join('/', p));
  return clean.length > 1 && clean.endsWith('/') ? clean.slice(0, -1) : clean;
}

// runc gives these their own labels (or none): the mount label is for the rest.
const UNLABELLED_TYPES = new Set(['proc', 'sysfs', 'mqueue', 'cgroup', 'cgroup2']);

/** SELinux's context= option appended as runc's label.FormatMountLabel does. */
export function withMountLabel(data: string, type: string, label: string | undefined): string {
  if (!label || UNLABELLED_TYPES.has(type)) return data;
  const context = `context="${label}"`;
  return data ? `${data},${context}` : context;
}

function configMountOp(m: Mount, o: MountOptions, ctx: PlanContext): Extract<PlanOp, { op: 'mount' }> {
  const bind = isBindMount(m, o);
  const source = m.source ?? '';
  return {
    op: 'mount',
    // Like runc, a relative bind source is relative to the bundle.
    source: bind ? path.resolve(ctx.bundle, source) : source || (m.type ?? 'none'),
    destination: containerPath(m.destination),
    fstype: bind ? 'bind' : (m.type ?? ''),
    flags: bind ? o.flags | K.MS_BIND : o.flags,
    data: bind ? o.data : withMountLabel(o.data, m.type ?? '', ctx.mountLabel),
    // mount(2) takes one propagation type per call; the last one given wins.
    propagation: o.propagation.length ? o.propagation[o.propagation.length - 1] : 0,
    recAttrSet: o.recAttrSet,
  };
}

/** The detached idmapped tree the runtime made for this mount (lib/runtime/idmapped-mounts.ts). */
function idmappedMountOp(m: Mount, o: MountOptions, fd: number): PlanOp {
  return {
    op: 'mountFd',
    fd,
    destination: containerPath(m.destination),
    flags: o.flags & ~(K.MS_BIND | K.MS_REC),
    propagation: o.propagation.length ? o.propagation[o.propagation.length - 1] : 0,
    recAttrSet: o.recAttrSet,
  };
}

// In a user namespace a sysfs mount needs the network namespace to be
// owned by it, and a cgroup2 mount the cgroup namespace; otherwise the
// host's directory is bound, recursively and with the mount's flags (runc
// does the same), read-only all the way down when the mount is (a cgroup
// mount always is: the host's tree must never be writable from inside).
function hostBindOp(source: string, m: Mount, o: MountOptions, readonly: boolean): PlanOp {
  return {
    op: 'mount', source, destination: containerPath(m.destination), fstype: 'bind',
    flags: o.flags | K.MS_BIND | K.MS_REC | (readonly ? K.MS_RDONLY : 0), data: '', propagation: 0,
    recAttrSet: o.recAttrSet | (readonly ? K.MOUNT_ATTR_RDONLY : 0),
  };
}

export function configMountOps(mounts: readonly Mount[], ctx: PlanContext, fail: PlanFail,
  warnings: string[]): PlanOp[] {
  const ops: PlanOp[] = [];
  mounts.forEach((m, i) => {
    const o = parseMountOptions(m.options);
    const problem = mountProblem(m, o);
    if (problem) fail(`/mounts/${i}`, problem);
    const fd = ctx.mountFds?.[i];
    if (isIdmapped(m, o)) {
      // The runtime makes the tree: the helper lacks the privilege (lib/runtime/idmapped-mounts.ts).
      if (fd === undefined) fail(`/mounts/${i}`, 'an id-mapped mount needs its tree made by the runtime');
      ops.push(idmappedMountOp(m, o, fd));
    } else if (m.type === 'cgroup' && !isBindMount(m, o) && ctx.bindCgroup) {
      ops.push(hostBindOp('/sys/fs/cgroup', m, o, true));
    } else if (m.type === 'cgroup' && !isBindMount(m, o)) {
      ops.push(...cgroupMountOps(containerPath(m.destination), o, ctx.cgroup?.v1Mounts));
    } else if (m.type === 'sysfs' && ctx.bindSysfs) {
      ops.push(hostBindOp('/sys', m, o, (o.flags & K.MS_RDONLY) !== 0));
    } else if (o.tmpcopyup) {
      ops.push(...tmpcopyupOps(configMountOp(m, o, ctx)));
    } else {
      ops.push(configMountOp(m, o, ctx));
    }
  });
  return ops;
}

/**
 * tmpcopyup (runc's extension; Podman's --tmpfs and --read-only use it):
 * the image's directory is opened before the tmpfs covers it and its tree
 * copied in after, then the tmpfs becomes read-only if it was asked to be
 * (the copy needs it writable first, as in runc).
 */
function tmpcopyupOps(mount: Extract<PlanOp, { op: 'mount' }>): PlanOp[] {
  const readonly = (mount.flags & K.MS_RDONLY) !== 0;
  const ops: PlanOp[] = [
    { op: 'copyupOpen', destination: mount.destination },
    { ...mount, flags: mount.flags & ~K.MS_RDONLY },
    { op: 'copyupFill', destination: mount.destination },
  ];
  if (readonly) ops.push({ ...mount, source: 'tmpfs', flags: mount.flags | K.MS_REMOUNT, data: '', propagation: 0, recAttrSet: 0 });
  return ops;
}

/** True when config.json bind-mounts /dev: the runtime then creates no device nodes there. */
export function bindsDev(mounts: readonly Mount[]): boolean {
  return mounts.some((m) => containerPath(m.destination) === '/dev' && isBindMount(m));
}
