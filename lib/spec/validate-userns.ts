// Semantic checks of the user namespace and its ID mappings (runc's
// libcontainer/configs/validate usernamespace, plus what the kernel would
// refuse later with a bare EINVAL): one line naming the field.
import type { IDMapping, Linux, Mount, Process, Spec } from './types';
import type { Fail } from './validate';
import { parseMountOptions } from '../plan/mount-options';
import { isIdmapped } from '../plan/mounts';

/** How the container gets its user namespace. */
export type UsernsMode = 'none' | 'new' | 'joined';

export function usernsMode(linux: Linux | undefined): UsernsMode {
  const n = (linux?.namespaces ?? []).find((x) => x.type === 'user');
  if (!n) return 'none';
  return n.path ? 'joined' : 'new';
}

// The kernel's limit of lines in a uid_map or gid_map (since 4.15).
const MAX_MAP_LINES = 340;
const ID_LIMIT = 2 ** 32;

/** The mapping in which `id` (a container id) falls, or undefined. */
export function mapId(mappings: readonly IDMapping[], id: number): number | undefined {
  const m = mappings.find((x) => id >= x.containerID && id < x.containerID + x.size);
  return m ? m.hostID + (id - m.containerID) : undefined;
}

function rangeText(start: number, size: number): string {
  return size === 1 ? `${start}` : `${start}-${start + size - 1}`;
}

/** Sizes, ranges and overlaps of one mapping list (a kernel map file's rules). */
export function checkMappingList(mappings: readonly IDMapping[], field: string, fail: Fail): void {
  if (mappings.length > MAX_MAP_LINES) fail(field, `at most ${MAX_MAP_LINES} mappings are allowed, got ${mappings.length}`);
  mappings.forEach((m, i) => {
    const f = `${field}/${i}`;
    if (!Number.isInteger(m.size) || m.size < 1) fail(`${f}/size`, `mapping size must be at least 1, got ${m.size}`);
    if (m.containerID + m.size > ID_LIMIT) fail(f, `container ids ${rangeText(m.containerID, m.size)} go past 4294967295`);
    if (m.hostID + m.size > ID_LIMIT) fail(f, `host ids ${rangeText(m.hostID, m.size)} go past 4294967295`);
    for (let j = 0; j < i; j++) {
      const o = mappings[j];
      const overlaps = (a: number, b: number) => a < b + o.size && b < a + m.size;
      if (overlaps(m.containerID, o.containerID)) {
        fail(f, `container ids ${rangeText(m.containerID, m.size)} overlap ${field}/${j} (${rangeText(o.containerID, o.size)})`);
      }
      if (overlaps(m.hostID, o.hostID)) {
        fail(f, `host ids ${rangeText(m.hostID, m.size)} overlap ${field}/${j} (${rangeText(o.hostID, o.size)})`);
      }
    }
  });
}

function checkProcessIds(process: Process | undefined, linux: Linux, fail: Fail): void {
  const uids = linux.uidMappings ?? [];
  const gids = linux.gidMappings ?? [];
  const user = process?.user;
  const uid = user?.uid ?? 0;
  const gid = user?.gid ?? 0;
  if (mapId(uids, uid) === undefined) fail('/process/user/uid', `uid ${uid} is not mapped by linux.uidMappings`);
  if (mapId(gids, gid) === undefined) fail('/process/user/gid', `gid ${gid} is not mapped by linux.gidMappings`);
  (user?.additionalGids ?? []).forEach((g, i) => {
    if (mapId(gids, g) === undefined) fail(`/process/user/additionalGids/${i}`, `gid ${g} is not mapped by linux.gidMappings`);
  });
}

// devpts refuses a gid= its user namespace does not map (a bare EINVAL).
function checkMountGids(mounts: readonly Mount[], gids: readonly IDMapping[], fail: Fail): void {
  mounts.forEach((m, i) => {
    (m.options ?? []).forEach((o, j) => {
      const g = /^gid=(\d+)$/.exec(o);
      if (m.type === 'devpts' && g && mapId(gids, Number(g[1])) === undefined) {
        fail(`/mounts/${i}/options/${j}`, `devpts ${o}: gid ${g[1]} is not mapped by linux.gidMappings`);
      }
    });
  });
}

export function checkUserNamespace(config: Spec, fail: Fail): void {
  const linux = config.linux ?? {};
  const mode = usernsMode(linux);
  const given = linux.uidMappings !== undefined || linux.gidMappings !== undefined;
  if (mode === 'none') {
    if (given) {
      fail(linux.uidMappings ? '/linux/uidMappings' : '/linux/gidMappings',
        'user namespace mappings specified, but user namespace isn\'t enabled in the config');
    }
    return;
  }
  if (mode === 'joined') {
    // The joined namespace has its own maps; runc compares them, ts-oci refuses
    // rather than apply something it did not check.
    if (given) fail(linux.uidMappings ? '/linux/uidMappings' : '/linux/gidMappings', 'mappings cannot be given with a user namespace joined by path: its mappings are its own');
    return;
  }
  if (!linux.uidMappings?.length && !linux.gidMappings?.length) {
    fail('/linux/namespaces', 'user namespaces enabled, but no namespace path to join nor mappings to apply specified');
  }
  if (!linux.uidMappings?.length) fail('/linux/uidMappings', 'a new user namespace needs uidMappings as well as gidMappings');
  if (!linux.gidMappings?.length) fail('/linux/gidMappings', 'a new user namespace needs gidMappings as well as uidMappings');
  checkMappingList(linux.uidMappings, '/linux/uidMappings', fail);
  checkMappingList(linux.gidMappings, '/linux/gidMappings', fail);
  // The helper starts as the namespace's root (native/addon/child_exec.cc).
  if (mapId(linux.uidMappings, 0) === undefined) fail('/linux/uidMappings', 'user namespaces enabled, but no root user mapping found (container uid 0)');
  if (mapId(linux.gidMappings, 0) === undefined) fail('/linux/gidMappings', 'user namespaces enabled, but no root group mapping found (container gid 0)');
  checkProcessIds(config.process, linux, fail);
  checkMountGids(config.mounts ?? [], linux.gidMappings, fail);
}

/** The mappings an idmapped mount gets: its own, else the container's user namespace's (config.md `idmap`). */
export function mountMappings(m: Mount, linux: Linux | undefined): { uid: IDMapping[]; gid: IDMapping[] } | undefined {
  if (m.uidMappings && m.gidMappings) return { uid: m.uidMappings, gid: m.gidMappings };
  if (m.uidMappings || m.gidMappings || usernsMode(linux) !== 'new') return undefined;
  if (!linux?.uidMappings?.length || !linux.gidMappings?.length) return undefined;
  return { uid: linux.uidMappings, gid: linux.gidMappings };
}

/** mounts[] with idmap, ridmap or their own mappings (spec config.md "uidMappings"). */
export function checkIdmappedMounts(config: Spec, fail: Fail): void {
  (config.mounts ?? []).forEach((m, i) => {
    if (!isIdmapped(m, parseMountOptions(m.options))) return;
    const field = `/mounts/${i}`;
    if (m.uidMappings && !m.gidMappings) fail(`${field}/uidMappings`, 'uidMappings must be specified along with gidMappings');
    if (m.gidMappings && !m.uidMappings) fail(`${field}/gidMappings`, 'gidMappings must be specified along with uidMappings');
    if (m.uidMappings && m.gidMappings) {
      if (!m.uidMappings.length) fail(`${field}/uidMappings`, 'uidMappings must not be empty');
      if (!m.gidMappings.length) fail(`${field}/gidMappings`, 'gidMappings must not be empty');
      checkMappingList(m.uidMappings, `${field}/uidMappings`, fail);
      checkMappingList(m.gidMappings, `${field}/gidMappings`, fail);
    } else if (!mountMappings(m, config.linux)) {
      fail(field, 'idmap without uidMappings and gidMappings needs a new user namespace with mappings to take them from');
    }
  });
}
