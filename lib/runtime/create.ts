// `create`: everything in config.json but the user process. The order is
// the spec's lifecycle steps 1-5; any failure undoes what was done (runtime.md
// "Errors": as if the operation had never been attempted).
import * as fs from 'fs';
import * as path from 'path';
import { helperPath, native } from '../native';
import { buildLaunchPlan, LaunchPlan } from '../plan/build';
import { encodePlan } from '../plan/encode';
import type { PlanOp } from '../plan/ops';
import type { CgroupJoinFd } from '../plan/cgroup-join';
import { probeHostFeatures } from '../plan/host-features';
import type { PreparedNetDevice } from '../plan/net-devices';
import { moveNetDevices, prepareNetDevices } from './net-devices';
import { loadConfig } from '../spec/load';
import type { Spec } from '../spec/types';
import { createStateDir, removeStateDir, writeState } from '../state/store';
import { withLock } from '../state/lock';
import { ContainerRecord } from '../state/record';
import { procStartTime } from '../state/status';
import { CreateOptions, RuntimeContext } from './context';
import { ContainerCgroup, setUpCgroupUnlessDenied } from './cgroup';
import { ociState } from './oci-state';
import { closePidfd, destroy } from './destroy';
import { writePidFile } from './pid-file';
import { checkPreservedFds } from './preserved-fds';
import { converse, InitProcess, stepsAfterCreated } from './init-conversation';
import { CompiledSeccomp, compileSeccomp } from '../seccomp/compile';
import { checkTerminal, ConsoleMaster, ProcessHandoff } from './console';
import type { SpawnResult } from '../native';
import { usernsMode } from '../spec/validate-userns';
import { checkCallerOwnsIds, inUserNamespace, writeInitMaps } from './user-namespace';
import { makeIdmappedTrees } from './idmapped-mounts';
import { setgroupsDenied, withoutSetgroups } from '../plan/setgroups';
import { planFail } from '../plan/plan-fail';
import { ContainerSystemError } from '../errors';
import { CLONE_NEWUSER } from '../plan/linux-constants';
import { inContainerUserns } from '../root-hint';

// Not in fs.constants: an fd that names the fifo without opening it.
const O_PATH = 0o10000000;
// native/addon/child_exec.h kMaxPassFds.
const MAX_PASSED_FDS = 48;

export interface CreatedContainer {
  record: ContainerRecord;
  /** A pidfd of the init; the caller owns it (wait, kill). */
  pidfd: number;
  /** The pty master when the process has a terminal and the caller keeps it (keepConsole); the caller owns it. */
  console?: ConsoleMaster;
}

export async function createContainer(ctx: RuntimeContext, opts: CreateOptions): Promise<CreatedContainer> {
  const bundle = path.resolve(opts.bundle);
  const { config, configPath } = loadConfig(bundle);
  checkTerminal(!!config.process?.terminal, opts);
  checkPreservedFds(opts.preserveFds ?? 0, opts.passedFds);
  if (usernsMode(config.linux) === 'new') checkCallerOwnsIds(config.linux!, configPath);
  // Before anything exists: a profile that cannot be compiled leaves nothing behind.
  const seccomp = config.linux?.seccomp ? compileSeccomp(config.linux.seccomp, configPath) : undefined;
  if (seccomp?.skipped.length) ctx.debug?.(`seccomp: syscalls unknown to libseccomp, skipped: ${seccomp.skipped.join(' ')}`);
  // Connected first: a wrong socket path fails before anything exists.
  const handoff = new ProcessHandoff(opts);
  try {
    const dir = createStateDir(ctx.root, opts.id);
    // The directory exists from here: a concurrent delete --force waits for us.
    let locked = false;
    try {
      return await withLock(dir, () => {
        locked = true;
        return createLocked(ctx, opts, config, bundle, dir, seccomp, handoff);
      });
    } catch (e) {
      // The lock itself failed (an addon that cannot load): the directory is all there is to undo.
      if (!locked) removeStateDir(ctx.root, opts.id);
      throw e;
    }
  } finally {
    handoff.close();
  }
}

async function createLocked(
  ctx: RuntimeContext,
  opts: CreateOptions,
  config: Spec,
  bundle: string,
  dir: string,
  seccomp: CompiledSeccomp | undefined,
  handoff: ProcessHandoff,
): Promise<CreatedContainer> {
  const record = newRecord(config, opts.id, bundle);
  const init: InitProcess = { pid: 0, pidfd: -1 };
  try {
    const fifoPath = path.join(dir, 'exec.fifo');
    native().mkfifo(fifoPath, 0o622);
    const netDevices = prepareNetDevices(config, bundle);
    const cgroup = await setUpCgroupUnlessDenied(config, opts.id, path.join(bundle, 'config.json'), ctx.cgroupManager, ctx.debug);
    record.cgroupDirs = cgroup.dirs;
    const passed = new InitFds(opts.preserveFds ?? 0);
    let spawned: SpawnResult;
    let plan: LaunchPlan;
    try {
      passed.open(config, bundle, fifoPath, cgroup.selfJoin ?? []);
      plan = launchPlan(ctx, config, opts, record, dir, fifoPath, cgroup, seccomp, netDevices, passed);
      spawned = spawnInit(plan.cloneFlags, cgroup, opts.preserveFds ?? 0, passed);
    } finally {
      passed.close();
    }
    Object.assign(init, { pid: spawned.pid, pidfd: spawned.pidfd });
    record.pid = spawned.pid;
    record.startTime = procStartTime(spawned.pid);
    ctx.debug?.(`init pid ${spawned.pid}`);
    if (spawned.statusFd !== undefined) await mapAndRelease(config, spawned);
    // Known once the maps are written (newgidmap may deny it too).
    // The init's user namespace: its own, or the runtime's (Podman rootless, unshare -r).
    const noSetgroups = setgroupsDenied(spawned.pid);
    const ops = await joinAndConverse({ config, bundle, dir, record, init, spawned, cgroup, netDevices, plan, noSetgroups, seccomp, handoff });
    handoff.sendPidfd(init.pidfd, 'standard');
    record.startSteps = stepsAfterCreated(ops);
    record.status = 'created';
    writeState(dir, record);
    if (opts.pidFile) writePidFile(opts.pidFile, record.pid);
    return { record, pidfd: init.pidfd, console: handoff.take() };
  } catch (e) {
    await destroy(record, { pidfd: init.pidfd, runPoststop: record.pid > 0 });
    if (init.pidfd >= 0) closePidfd(init.pidfd);
    removeStateDir(ctx.root, opts.id);
    throw e;
  }
}

interface Conversation {
  config: Spec;
  bundle: string;
  dir: string;
  record: ContainerRecord;
  init: InitProcess;
  spawned: SpawnResult;
  cgroup: ContainerCgroup;
  netDevices: PreparedNetDevice[];
  plan: LaunchPlan;
  noSetgroups: boolean;
  seccomp: CompiledSeccomp | undefined;
  handoff: ProcessHandoff;
}

/**
 * Puts the init in its cgroups, writes the record, and runs the plan until
 * CREATED; returns the ops as sent. The init joins its v1 cgroups itself,
 * as the plan's first steps; under systemd the scope is started here (a
 * D-Bus round trip) while the record is written and the plan encoded. The
 * plan is sent only once the init is in the scope (its first step may
 * unshare the cgroup namespace).
 */
async function joinAndConverse(c: Conversation): Promise<PlanOp[]> {
  const { record, spawned } = c;
  try {
    const joining = c.cgroup.join(spawned.pid);
    let ops: PlanOp[];
    let encoded: Buffer;
    try {
      // From here a killed `create` leaves a record `delete` can clean up from.
      writeState(c.dir, record);
      ops = c.plan.ops.map((op) => (op.op === 'hookState' ? { ...op, json: JSON.stringify(ociState(record, op.json)) } : op));
      if (c.noSetgroups) ops = withoutSetgroups(ops, planFail(c.bundle));
      encoded = encodePlan(ops);
    } catch (e) {
      await joining.catch(() => undefined);
      throw e;
    }
    await joining;
    // Before the plan: its first steps set the devices up inside.
    moveNetDevices(c.netDevices, c.config, spawned.pid);
    const options = { seccomp: c.seccomp, handoff: c.handoff, oomKills: () => c.cgroup.manager?.oomKills() };
    try {
      await converse(spawned.syncFd, encoded, ops, record, c.init, options);
    } catch (e) {
      throw usernsMode(c.config.linux) === 'new' ? inContainerUserns(e) : e;
    }
    return ops;
  } finally {
    native().close(spawned.syncFd);
  }
}

function newRecord(config: Spec, id: string, bundle: string): ContainerRecord {
  return {
    ociVersion: config.ociVersion,
    id,
    pid: 0,
    status: 'creating',
    bundle,
    rootfs: path.resolve(bundle, config.root!.path),
    created: new Date().toISOString(),
    owner: '',
    annotations: config.annotations ?? {},
    startTime: 0,
    cgroupDirs: undefined,
    hooks: config.hooks ?? {},
    config,
    startSteps: {},
  };
}

function launchPlan(
  ctx: RuntimeContext,
  config: Spec,
  opts: CreateOptions,
  record: ContainerRecord,
  dir: string,
  fifoPath: string,
  cgroup: ContainerCgroup,
  seccomp: CompiledSeccomp | undefined,
  netDevices: PreparedNetDevice[],
  passed: InitFds,
): LaunchPlan {
  const plan = buildLaunchPlan(config, {
    bundle: record.bundle,
    rootfs: record.rootfs,
    statePath: dir,
    fifoPath,
    noPivot: !!opts.noPivot,
    noNewKeyring: !!opts.noNewKeyring,
    preserveFds: opts.preserveFds ?? 0,
    // Filled in once the init's pid is known (see createLocked).
    hookState: (status: string) => status,
    cgroup: cgroup.planContext,
    seccomp,
    host: probeHostFeatures(),
    netDevices,
    fifoFd: passed.fifoFd,
    cgroupJoinFds: passed.cgroupJoinFds,
    mountFds: passed.mountFds,
    runtimeInUserns: inUserNamespace(),
  });
  for (const w of plan.warnings) ctx.warn?.(w);
  const dirs = cgroup.dirs ? [...cgroup.dirs.v1, ...(cgroup.dirs.v2 ? [cgroup.dirs.v2] : [])] : [];
  ctx.debug?.(`cgroups: ${dirs.map((d) => d.path).join(' ')}`);
  ctx.debug?.(`plan: clone flags 0x${plan.cloneFlags.toString(16)}, ${plan.ops.length} steps: ${plan.ops.map((op) => op.op).join(' ')}`);
  return plan;
}

function spawnInit(cloneFlags: number, cgroup: ContainerCgroup, preserveFds: number, passed: InitFds): SpawnResult {
  const cgroupFd = cgroup.v2Dir ? fs.openSync(cgroup.v2Dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY) : -1;
  try {
    const holdForMaps = (cloneFlags & CLONE_NEWUSER) !== 0;
    return native().spawn({ helperPath: helperPath(), cloneFlags, cgroupFd, preserveFds, passFds: passed.fds, holdForMaps });
  } finally {
    if (cgroupFd >= 0) fs.closeSync(cgroupFd);
  }
}

/**
 * The fds the init gets beyond its sync socket, at 4+preserveFds on: the
 * `tasks` file of each v1 cgroup it moves itself into (lib/runtime/cgroup.ts);
 * with a user namespace, an O_PATH fd of the exec fifo (the namespace's root
 * may not search the state directory); the detached tree of each idmapped
 * mount. Closed here once the child has its copies.
 */
class InitFds {
  readonly fds: number[] = [];
  fifoFd?: number;
  readonly cgroupJoinFds: CgroupJoinFd[] = [];
  readonly mountFds: Record<number, number> = {};

  constructor(private readonly preserveFds: number) {}

  open(config: Spec, bundle: string, fifoPath: string, cgroupTasks: string[]): void {
    for (const file of cgroupTasks) this.cgroupJoinFds.push({ fd: this.add(fs.openSync(file, fs.constants.O_WRONLY)), path: file });
    if (usernsMode(config.linux) !== 'none') this.fifoFd = this.add(fs.openSync(fifoPath, O_PATH));
    const trees = makeIdmappedTrees(config, bundle);
    for (const t of trees) this.fds.push(t.fd);
    if (this.fds.length > MAX_PASSED_FDS) {
      const room = MAX_PASSED_FDS - (this.fds.length - trees.length);
      throw new ContainerSystemError({ code: 'E2BIG', detail: `at most ${room} id-mapped mounts are supported here, got ${trees.length}` });
    }
    trees.forEach((t, i) => { this.mountFds[t.index] = 4 + this.preserveFds + this.fds.length - trees.length + i; });
  }

  /** Takes ownership of `fd`; returns the helper's fd number for it. */
  private add(fd: number): number {
    this.fds.push(fd);
    return 3 + this.preserveFds + this.fds.length;
  }

  close(): void {
    for (const fd of this.fds.splice(0)) fs.closeSync(fd);
  }
}

/** The held init: its maps written, then released to exec the helper as the namespace's root. */
async function mapAndRelease(config: Spec, spawned: SpawnResult): Promise<void> {
  try {
    await writeInitMaps(config.linux!, spawned.pid, spawned.pidfd);
  } catch (e) {
    native().close(spawned.statusFd!);
    native().close(spawned.syncFd);
    throw e;
  }
  try {
    native().spawnRelease(spawned.syncFd, spawned.statusFd!, spawned.pidfd, helperPath());
  } catch (e) {
    native().close(spawned.syncFd);
    throw e;
  }
}
