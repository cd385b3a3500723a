// The runtime's half of a new user namespace: the init is cloned into it and
// held before it execs the helper (native/addon/child_exec.cc); here its
// uid_map and gid_map are written, by the addon when the caller may write
// them itself (root, or an unprivileged caller mapping only its own ids),
// else by newuidmap/newgidmap (Debian's uidmap, setuid root, checking
// /etc/subuid and /etc/subgid); then it is released.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import { promisify } from 'util';
import { ContainerSystemError } from '../errors';
import { fieldError } from '../spec/field-error';
import { IdMapFiles, native } from '../native';
import type { IDMapping, Linux } from '../spec/types';


export { inUserNamespace } from './context';

/** A kernel map file's content: one "inside outside count" line per mapping. */
export function idMapFile(mappings: readonly IDMapping[]): string {
  return mappings.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('');
}

export interface Caller {
  uid: number;
  gid: number;
  /** The user's name (for /etc/subuid lines that name the user). */
  name: string;
}

export function currentCaller(): Caller {
  let name = '';
  try {
    name = os.userInfo().username;
  } catch {
    // A uid without a passwd entry: only numeric subuid lines can match.
  }
  return { uid: process.geteuid?.() ?? 0, gid: process.getegid?.() ?? 0, name };
}

/** True when the mappings map only `id` (the caller's own), which needs no helper. */
function onlyOwnId(mappings: readonly IDMapping[], id: number): boolean {
  return mappings.length === 1 && mappings[0].size === 1 && mappings[0].hostID === id;
}

/** How the init's maps get written. */
export type MapWriter = 'direct' | 'direct-deny-setgroups' | 'newidmap';

export function mapWriter(linux: Linux, caller: Caller): MapWriter {
  if (caller.uid === 0) return 'direct';
  const uids = linux.uidMappings ?? [];
  const gids = linux.gidMappings ?? [];
  // An unprivileged writer may map its own id only, and its gid only
  // after setgroups says deny (user_namespaces(7)).
  if (onlyOwnId(uids, caller.uid) && onlyOwnId(gids, caller.gid)) return 'direct-deny-setgroups';
  return 'newidmap';
}

/** Ranges of /etc/subuid (or subgid) lines naming the user by name or id. */
export function subordinateRanges(text: string, caller: Caller): { start: number; count: number }[] {
  const out: { start: number; count: number }[] = [];
  for (const line of text.split('\n')) {
    const [who, start, count] = line.trim().split(':');
    if (count === undefined || (who !== caller.name && who !== String(caller.uid))) continue;
    if (/^\d+$/.test(start) && /^\d+$/.test(count)) out.push({ start: Number(start), count: Number(count) });
  }
  return out;
}

function owns(id: number, size: number, own: number, ranges: { start: number; count: number }[]): boolean {
  if (size === 1 && id === own) return true;
  return ranges.some((r) => id >= r.start && id + size <= r.start + r.count);
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * For an unprivileged caller, before anything exists: every host id asked
 * for must be the caller's own or in its /etc/subuid (subgid) ranges, as
 * newuidmap will insist. Throws a ConfigError naming the mapping.
 */
export function checkCallerOwnsIds(linux: Linux, configPath: string, caller: Caller = currentCaller(),
  read: (file: string) => string = readOrEmpty): void {
  if (caller.uid === 0) return;
  const lists = [
    { field: 'uidMappings', maps: linux.uidMappings ?? [], own: caller.uid, file: '/etc/subuid' },
    { field: 'gidMappings', maps: linux.gidMappings ?? [], own: caller.gid, file: '/etc/subgid' },
  ];
  for (const { field, maps, own, file } of lists) {
    const ranges = subordinateRanges(read(file), caller);
    maps.forEach((m, i) => {
      if (owns(m.hostID, m.size, own, ranges)) return;
      const ids = m.size === 1 ? `${m.hostID}` : `${m.hostID}-${m.hostID + m.size - 1}`;
      throw fieldError(configPath, `/linux/${field}/${i}`,
        `host ids ${ids} are not yours to map (not your own id, nor in ${file} for ${caller.name || caller.uid})`);
    });
  }
}

async function runIdMapTool(tool: string, pid: number, mappings: readonly IDMapping[]): Promise<void> {
  const args = [String(pid), ...mappings.flatMap((m) => [m.containerID, m.hostID, m.size].map(String))];
  try {
    // promisified here, not at load: child_process loads only when a tool runs.
    await promisify(execFile)(tool, args, { timeout: 30000 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    const why = err.code === 'ENOENT' ? `${tool} not found (install uidmap)` : (err.stderr?.trim().split('\n').pop() || err.message);
    throw new ContainerSystemError({ code: 'EPERM', syscall: tool, detail: `${tool}: ${why}` });
  }
}

/** Writes the held init's maps (and setgroups where required). */
export async function writeInitMaps(linux: Linux, pid: number, pidfd: number, caller: Caller = currentCaller()): Promise<void> {
  const uids = linux.uidMappings ?? [];
  const gids = linux.gidMappings ?? [];
  const writer = mapWriter(linux, caller);
  if (writer === 'newidmap') {
    // The child is ours and unreaped: its pid cannot name another process.
    await runIdMapTool('newuidmap', pid, uids);
    await runIdMapTool('newgidmap', pid, gids);
    return;
  }
  const files: IdMapFiles = { uidMap: idMapFile(uids), gidMap: idMapFile(gids) };
  if (writer === 'direct-deny-setgroups') files.setgroups = 'deny';
  native().writeIdMaps(pidfd, pid, files);
}
