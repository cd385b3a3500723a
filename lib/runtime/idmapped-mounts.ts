// Idmapped bind mounts are made by the runtime, in the host's mount
// namespace, before the init is cloned: mount_setattr(MOUNT_ATTR_IDMAP)
// needs CAP_SYS_ADMIN over the source's filesystem (the host's user
// namespace), which root inside the container's user namespace lacks. Each
// is a detached clone of the source (open_tree OPEN_TREE_CLONE) carrying a
// user namespace made only for its mapping; the helper attaches it
// (OP_MOUNT_FD) where the plan says, with the mount's other flags.
import * as path from 'path';
import { ContainerSystemError } from '../errors';
import { native } from '../native';
import { parseMountOptions } from '../plan/mount-options';
import { containerPath, isIdmapped } from '../plan/mounts';
import * as K from '../plan/linux-constants';
import type { Spec } from '../spec/types';
import { mountMappings } from '../spec/validate-userns';
import { idMapFile } from './user-namespace';

export interface IdmappedTree {
  /** Index of the mount in config.mounts. */
  index: number;
  /** The detached tree (O_CLOEXEC); the caller owns it. */
  fd: number;
}

function treeError(e: unknown, source: string, destination: string): Error {
  const err = e as ContainerSystemError;
  // EINVAL from mount_setattr: this filesystem (or a mount below an rbind) cannot be idmapped.
  if (err.code === 'EINVAL' && err.syscall === 'mount_setattr') {
    return new ContainerSystemError({ code: 'EINVAL', errno: 22, syscall: 'mount_setattr', path: source,
      step: `idmapped mount ${destination}`, detail: `the filesystem of ${source} cannot be idmapped` });
  }
  return e as Error;
}

/**
 * One detached idmapped tree per idmapped mount of the config. A user
 * namespace is made per distinct mapping and closed once every tree holds
 * it (the mount keeps its own reference). On failure nothing stays open.
 */
export function makeIdmappedTrees(config: Spec, bundle: string): IdmappedTree[] {
  const trees: IdmappedTree[] = [];
  const userns = new Map<string, number>();
  try {
    (config.mounts ?? []).forEach((m, index) => {
      const o = parseMountOptions(m.options);
      if (!isIdmapped(m, o)) return;
      const maps = mountMappings(m, config.linux);
      // Validation refused these already (validate-userns.ts); never guess a mapping.
      if (!maps) throw new ContainerSystemError({ code: 'EINVAL', detail: `mount ${m.destination}: no mapping for an idmapped mount` });
      const files = { uidMap: idMapFile(maps.uid), gidMap: idMapFile(maps.gid) };
      const key = `${files.uidMap}|${files.gidMap}`;
      if (!userns.has(key)) userns.set(key, native().mappedUserns(files));
      const source = path.resolve(bundle, m.source ?? '');
      try {
        const fd = native().idmappedTree(source, (o.flags & K.MS_REC) !== 0, o.recursiveIdmap, userns.get(key)!);
        trees.push({ index, fd });
      } catch (e) {
        throw treeError(e, source, containerPath(m.destination));
      }
    });
  } catch (e) {
    for (const t of trees) native().close(t.fd);
    throw e;
  } finally {
    for (const fd of userns.values()) native().close(fd);
  }
  return trees;
}
