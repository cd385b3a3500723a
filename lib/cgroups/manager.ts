// cgroupfs plans for a container: create (mkdir + writes), join, remove, and
// the checks around them. Plans are CgroupFsOp lists for
// native().cgroupApply; the decisions read cgroupfs through an injectable
// CgroupReader, so they run against a fake tree in tests.
import * as path from 'path';
import type { CgroupFsOp } from '../native';
import { RuntimeError } from '../errors';
import type { Resources } from '../spec/types';
import { CgroupLayout } from './mountinfo';
import { allDirs, CgroupDir, CgroupDirs, v1DirFor } from './path';
import { cgroupFrozen, cgroupPids } from './members';
import { CgroupReader, cgroupTree, fsCgroupReader, readProcs } from './reader';
import { v1ResourceWrites, v2ResourceWrites } from './resources';
import { CgroupWrite, fieldRefusal } from './write';
import { checkCpusetAgainstHost } from './host-checks';

export interface PlanOptions {
  reader?: CgroupReader;
}

/** Directories from just below the mount point down to `dir`, parents first. */
function levelsBelowMount(dir: CgroupDir): string[] {
  const rel = path.posix.relative(dir.mountPoint, dir.path);
  const levels: string[] = [];
  let current = dir.mountPoint;
  for (const part of rel.split('/').filter(Boolean)) {
    current = path.posix.join(current, part);
    levels.push(current);
  }
  return levels;
}

/** mkdir for every missing level (the leaf always: mkdir is idempotent). */
export function planCgroupMkdirs(dirs: CgroupDirs, opts: PlanOptions = {}): CgroupFsOp[] {
  const reader = opts.reader ?? fsCgroupReader;
  const ops: CgroupFsOp[] = [];
  for (const dir of allDirs(dirs)) {
    for (const level of levelsBelowMount(dir)) {
      if (level === dir.path || !reader.exists(level)) ops.push({ op: 'mkdir', path: level });
    }
  }
  return ops;
}

const trimmed = (s: string | undefined): string => (s ?? '').trim();
const words = (s: string | undefined): string[] => trimmed(s).split(/\s+/).filter(Boolean);

/**
 * A new v1 cpuset cgroup starts with empty cpus and mems, and no task can
 * join it until both are set: like runc's cpusetEnsureParent, copy the
 * nearest ancestor's values into every level that has none.
 */
function seedCpusetLevels(dir: CgroupDir, reader: CgroupReader): CgroupFsOp[] {
  const ops: CgroupFsOp[] = [];
  let cpus = trimmed(reader.read(path.join(dir.mountPoint, 'cpuset.cpus')));
  let mems = trimmed(reader.read(path.join(dir.mountPoint, 'cpuset.mems')));
  for (const level of levelsBelowMount(dir)) {
    const own = reader.exists(level)
      ? { cpus: trimmed(reader.read(path.join(level, 'cpuset.cpus'))), mems: trimmed(reader.read(path.join(level, 'cpuset.mems'))) }
      : { cpus: '', mems: '' };
    if (own.cpus) cpus = own.cpus;
    else if (cpus) ops.push({ op: 'write', path: path.join(level, 'cpuset.cpus'), value: cpus });
    if (own.mems) mems = own.mems;
    else if (mems) ops.push({ op: 'write', path: path.join(level, 'cpuset.mems'), value: mems });
  }
  return ops;
}

const controllerOf = (file: string): string => file.split('.')[0];

/** The controller is settled in an existing cgroup: a file missing now never appears. */
function controllerSettled(dir: CgroupDir, file: string, reader: CgroupReader): boolean {
  return (
    reader.exists(dir.path) &&
    (dir.version === 1 || words(reader.read(path.join(dir.path, 'cgroup.controllers'))).includes(controllerOf(file)))
  );
}

/**
 * The write to make, or undefined to skip it. A missing file is final only
 * once the cgroup exists with the controller on (v1: at mkdir; v2: listed in
 * cgroup.controllers); before that it may still appear, so the write stays.
 * Then: the fallback file if it exists; an optional write is dropped (unless
 * it restates a fresh cgroup's default, kept while unsettled); a write that
 * applies a config field refuses the create, naming the field.
 */
function resolveWrite(dir: CgroupDir, w: CgroupWrite, reader: CgroupReader, known: Map<string, boolean>): CgroupWrite | undefined {
  // Memoized per directory: the device rules are ten writes to one file.
  const has = (file: string): boolean => {
    let found = known.get(file);
    if (found === undefined) known.set(file, (found = reader.exists(path.join(dir.path, file))));
    return found;
  };
  if (has(w.file)) return w;
  if (w.fallback && has(w.fallback.file)) return { file: w.fallback.file, value: w.fallback.value };
  const settled = controllerSettled(dir, w.file, reader);
  if (w.field && settled) {
    const files = [w.file, ...(w.fallback ? [w.fallback.file] : [])].join(' or ');
    throw fieldRefusal(w.field, `cannot be applied on this host: ${files} does not exist in ${dir.path}`);
  }
  if (!w.optional) return w;
  if (settled) return undefined;
  return w.value !== 'max' && w.value !== '-1' ? w : undefined;
}

function writeOps(dir: CgroupDir, writes: CgroupWrite[], reader: CgroupReader): CgroupFsOp[] {
  const ops: CgroupFsOp[] = [];
  const known = new Map<string, boolean>();
  for (const w of writes) {
    const resolved = resolveWrite(dir, w, reader, known);
    if (!resolved) continue;
    const op: CgroupFsOp = { op: 'write', path: path.join(dir.path, resolved.file), value: resolved.value };
    ops.push(resolved.retryAfterNext ? { ...op, retryAfterNext: true } : op);
  }
  return ops;
}

function currentMemoryLimit(dirs: CgroupDirs, reader: CgroupReader): number | undefined {
  const dir = v1DirFor(dirs, 'memory');
  const value = dir && trimmed(reader.read(path.join(dir.path, 'memory.limit_in_bytes')));
  return value ? Number(value) : undefined;
}

function v1ResourceOps(dirs: CgroupDirs, resources: Resources | undefined, reader: CgroupReader): CgroupFsOp[] {
  const ops: CgroupFsOp[] = [];
  const perController = v1ResourceWrites(resources, { currentMemoryLimit: currentMemoryLimit(dirs, reader) });
  for (const [controller, writes] of perController) {
    const dir = v1DirFor(dirs, controller);
    if (!dir) {
      const field = writes.find((w) => w.field)?.field ?? `linux.resources (${controller})`;
      throw fieldRefusal(field, `cannot be applied on this host: the ${controller} cgroup controller is not mounted`);
    }
    ops.push(...writeOps(dir, writes, reader));
  }
  return ops;
}

const V2_CONTROLLERS = new Set(['cpu', 'cpuset', 'memory', 'io', 'pids', 'hugetlb', 'rdma', 'misc']);

/**
 * cgroup v2 has no internal processes: below the root, a cgroup that holds
 * processes cannot give its children controllers. The kernel refuses with
 * EBUSY, or accepts threaded controllers (pids, cpu, cpuset) and so turns
 * the cgroup into a thread root whose children cannot take a container.
 * Either way the create fails, and a write would change a cgroup that is
 * not ours (typically the runtime's own, under a relative cgroupsPath):
 * refuse before writing anything.
 */
function refuseInternalProcesses(level: string, controllers: string[], reader: CgroupReader): void {
  if (readProcs(path.join(level, 'cgroup.procs'), reader).length === 0) return;
  throw new RuntimeError(
    `cannot enable the cgroup controllers ${controllers.join(', ')} in ${level}: it holds processes ` +
      '(cgroup v2 allows controllers only in cgroups without processes; choose a cgroupsPath outside it)',
  );
}

/**
 * A v2 controller's files exist in a cgroup only when every ancestor enables
 * it in cgroup.subtree_control. Enable just the controllers the writes need
 * (runc enables all and ignores errors; enabling one we do not need could
 * fail with EBUSY on a populated parent for nothing).
 */
function enableV2Controllers(dir: CgroupDir, writes: CgroupWrite[], reader: CgroupReader): CgroupFsOp[] {
  const needed = [...new Set(writes.map((w) => controllerOf(w.file)))].filter((c) => V2_CONTROLLERS.has(c));
  if (needed.length === 0) return [];
  const ops: CgroupFsOp[] = [];
  const levels = [dir.mountPoint, ...levelsBelowMount(dir)].slice(0, -1);
  // A cgroup's available controllers are exactly what its parent enables, so
  // below the root they are what the previous level has after our writes.
  let available = new Set(words(reader.read(path.join(dir.mountPoint, 'cgroup.controllers'))));
  for (const level of levels) {
    const enabled = new Set(reader.exists(level) ? words(reader.read(path.join(level, 'cgroup.subtree_control'))) : []);
    const missing = needed.filter((c) => !enabled.has(c));
    for (const c of missing) {
      if (available.has(c)) continue;
      const field = writes.find((w) => w.field && controllerOf(w.file) === c)?.field;
      const message = `cgroup controller "${c}" is not available in ${level}`;
      throw field ? fieldRefusal(field, `cannot be applied on this host: ${message}`) : new RuntimeError(message);
    }
    if (missing.length > 0) {
      if (level !== dir.mountPoint) refuseInternalProcesses(level, missing, reader);
      ops.push({ op: 'write', path: path.join(level, 'cgroup.subtree_control'), value: missing.map((c) => `+${c}`).join(' ') });
    }
    available = new Set([...enabled, ...missing]);
  }
  return ops;
}

/** `plan` run on the v2 directory and its resource writes; [] without a v2 directory, which is an error only if resources need one. */
function planForV2(
  dirs: CgroupDirs,
  resources: Resources | undefined,
  plan: (dir: CgroupDir, writes: CgroupWrite[]) => CgroupFsOp[],
): CgroupFsOp[] {
  const writes = v2ResourceWrites(resources);
  if (!dirs.v2 && writes.length > 0) throw new RuntimeError('cannot set resources: no cgroup2 directory');
  return dirs.v2 ? plan(dirs.v2, writes) : [];
}

/**
 * What must hold before the resource files can be written: v1 cpuset
 * levels seeded; on a pure v2 host the needed controllers enabled down the
 * tree. In hybrid mode the cgroup2 hierarchy has no controllers: it only
 * tracks the processes, resources go to v1.
 */
export function planCgroupPrepare(
  layout: CgroupLayout,
  dirs: CgroupDirs,
  resources: Resources | undefined,
  opts: PlanOptions = {},
): CgroupFsOp[] {
  const reader = opts.reader ?? fsCgroupReader;
  if (layout.kind !== 'v2') {
    const cpuset = v1DirFor(dirs, 'cpuset');
    return cpuset ? seedCpusetLevels(cpuset, reader) : [];
  }
  return planForV2(dirs, resources, (dir, writes) => enableV2Controllers(dir, writes, reader));
}

/** The resource files of linux.resources, per hierarchy (v1) or in the v2 directory. */
export function planResourceWrites(
  layout: CgroupLayout,
  dirs: CgroupDirs,
  resources: Resources | undefined,
  opts: PlanOptions = {},
): CgroupFsOp[] {
  const reader = opts.reader ?? fsCgroupReader;
  if (layout.kind !== 'v2') return v1ResourceOps(dirs, resources, reader);
  return planForV2(dirs, resources, (dir, writes) => writeOps(dir, writes, reader));
}

/** planCgroupPrepare then planResourceWrites. */
export function planCgroupWrites(
  layout: CgroupLayout,
  dirs: CgroupDirs,
  resources: Resources | undefined,
  opts: PlanOptions = {},
): CgroupFsOp[] {
  return [...planCgroupPrepare(layout, dirs, resources, opts), ...planResourceWrites(layout, dirs, resources, opts)];
}

/** mkdir for every hierarchy, then the writes (see planCgroupWrites). */
export function planCgroupCreate(
  layout: CgroupLayout,
  dirs: CgroupDirs,
  resources: Resources | undefined,
  opts: PlanOptions = {},
): CgroupFsOp[] {
  return [...planCgroupMkdirs(dirs, opts), ...planCgroupWrites(layout, dirs, resources, opts)];
}

export interface ApplyOptions extends PlanOptions {
  apply?: (ops: CgroupFsOp[]) => void;
}

function defaultApply(ops: CgroupFsOp[]): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  (require('../native') as typeof import('../native')).native().cgroupApply(ops);
}

/**
 * Creates and configures the cgroups in three batches (mkdir, prepare,
 * resources), each planned against the tree the previous one left, so
 * optional files and cpuset values are judged on what really exists.
 */
export function createCgroups(
  layout: CgroupLayout,
  dirs: CgroupDirs,
  resources: Resources | undefined,
  opts: ApplyOptions = {},
): void {
  const apply = opts.apply ?? defaultApply;
  checkCpusetAgainstHost(dirs, resources, opts.reader ?? fsCgroupReader);
  const batches = [
    () => planCgroupMkdirs(dirs, opts),
    () => planCgroupPrepare(layout, dirs, resources, opts),
    () => planResourceWrites(layout, dirs, resources, opts),
  ];
  for (const plan of batches) {
    const ops = plan();
    if (ops.length > 0) apply(ops);
  }
}

/**
 * Writes the pid into cgroup.procs of every v1 directory. The v2 directory
 * is joined by clone3(CLONE_INTO_CGROUP) with an fd of v2Dir(dirs), unless
 * includeV2 asks for the write (a process that already exists).
 */
export function planCgroupJoin(dirs: CgroupDirs, pid: number, opts: { includeV2?: boolean } = {}): CgroupFsOp[] {
  const targets = opts.includeV2 ? allDirs(dirs) : dirs.v1;
  return targets.map((d) => ({ op: 'write' as const, path: path.join(d.path, 'cgroup.procs'), value: String(pid) }));
}

/** The v1 `tasks` files a helper writes "0" into to move itself (native/init/cgroup_join_ops.cc). */
export function selfJoinFiles(dirs: CgroupDirs): string[] {
  return dirs.v1.map((d) => path.join(d.path, 'tasks'));
}

/** The cgroup2 directory to open for CLONE_INTO_CGROUP, if any. */
export function v2Dir(dirs: CgroupDirs): string | undefined {
  return dirs.v2?.path;
}

/** rmdir of every container cgroup and the sub-cgroups made inside it, deepest first. */
export function planCgroupRemove(dirs: CgroupDirs, opts: PlanOptions = {}): CgroupFsOp[] {
  const reader = opts.reader ?? fsCgroupReader;
  const all = new Set<string>();
  for (const d of allDirs(dirs)) for (const p of cgroupTree(d.path, reader)) all.add(p);
  const depth = (p: string): number => p.split('/').length;
  return [...all].sort((a, b) => depth(b) - depth(a)).map((p) => ({ op: 'rmdir' as const, path: p }));
}

/**
 * runc's factory check before create: a cgroup that already holds processes
 * or is frozen is a leftover (or someone else's) and must not be reused.
 */
export function refuseIfPopulated(dirs: CgroupDirs, reader: CgroupReader = fsCgroupReader): void {
  const pids = cgroupPids(dirs, reader);
  if (pids.length > 0) throw new RuntimeError(`container's cgroup is not empty: ${pids.length} process(es) found`);
  if (cgroupFrozen(dirs, reader)) throw new RuntimeError("container's cgroup unexpectedly frozen");
}

export { cgroupFrozen, cgroupPids } from './members';
export { killAll, KillOptions } from './kill';
