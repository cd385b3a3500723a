// `exec`: start one more process in a running container. A fresh
// ts-oci-init (sealed memfd, non-dumpable) is cloned straight into the
// container's cgroup, joins every namespace of the init with one setns on
// its pidfd, forks into the pid namespace and runs the process part of a
// launch plan (lib/plan/exec-plan.ts). The returned process is our child.
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, NotFoundError, RuntimeError, StateError } from '../errors';
import type { PlanFail } from '../plan/plan-fail';
import { probeHostFeatures } from '../plan/host-features';
import { helperPath, native, SpawnResult } from '../native';
import { buildExecPlan } from '../plan/exec-plan';
import type { PlanOp } from '../plan/ops';
import { setgroupsDenied, withoutSetgroups } from '../plan/setgroups';
import { loadConfig } from '../spec/load';
import type { Process, Spec } from '../spec/types';
import { readState, stateDir } from '../state/store';
import { withLock } from '../state/lock';
import type { ContainerRecord } from '../state/record';
import type { CgroupDirs } from '../cgroups/path';
import { selfJoinFiles } from '../cgroups/manager';
import { execCgroupDirs, parseSubCgroups } from '../cgroups/sub-cgroup';
import { RuntimeContext } from './context';
import { tryOpenInitPidfd } from './init-process';
import { currentStatus } from './status';
import { checkPreservedFds } from './preserved-fds';
import { writePidFile } from './pid-file';
import { checkExecProcess } from './exec-process';
import { closePidfd, killAndWait } from './destroy';
import { converseExec, ExecChild } from './exec-conversation';
import { checkTerminal, ConsoleMaster, ProcessHandoff } from './console';
import { ociState } from './oci-state';
import { CompiledSeccomp, compileSeccomp } from '../seccomp/compile';
import { forwardSeccompListener } from '../seccomp/listener';

export interface ExecOptions {
  /** Builds the process from the container's (recorded) process. */
  process: (containerProcess: Process) => Process;
  /** Where errors in the process point ("process.json", "exec"). */
  source?: string;
  /** Fds for the process's 0, 1, 2; -1 (or absent) = the caller's own. */
  stdio?: number[];
  preserveFds?: number;
  /** As CreateOptions.passedFds. */
  passedFds?: readonly number[];
  ignorePaused?: boolean;
  /** runc 1.2 --cgroup values: `[<controller>:]<path>` of an existing sub-cgroup. */
  cgroup?: string[];
  pidFile?: string;
  /** Where the pty master (process.terminal) and a pidfd of the process go (lib/runtime/console.ts). */
  consoleSocket?: string;
  pidfdSocket?: string;
  /** The caller takes the pty master itself (exec -t in the foreground, the library). */
  keepConsole?: boolean;
}

export interface ExecedProcess {
  pid: number;
  /** Our child's pidfd (wait, kill); the caller owns it. */
  pidfd: number;
  /** The pty master when the process has a terminal and the caller keeps it; the caller owns it. */
  console?: ConsoleMaster;
}

interface Target {
  record: ContainerRecord;
  config: Spec;
  initPidfd: number;
}

export async function execInContainer(ctx: RuntimeContext, id: string, opts: ExecOptions): Promise<ExecedProcess> {
  const preserveFds = opts.preserveFds ?? 0;
  checkPreservedFds(preserveFds, opts.passedFds);
  const subs = parseSubCgroups(opts.cgroup ?? []);
  const target = await openTarget(ctx, id, !!opts.ignorePaused);
  try {
    const process = opts.process(structuredClone(target.config.process ?? { cwd: '/' }));
    checkExecProcess(process, opts.source ?? 'exec');
    checkTerminal(!!process.terminal, opts);
    const dirs = target.record.cgroupDirs ? execCgroupDirs(target.record.cgroupDirs, subs) : undefined;
    if (!dirs && subs.size) throw new RuntimeError('--cgroup: the container has no cgroup');
    // Connected before the helper exists: a wrong path fails with nothing to undo.
    const handoff = new ProcessHandoff(opts);
    try {
      const child = await spawnIntoContainer(ctx, target, process, dirs, opts.stdio, preserveFds, opts.source ?? 'exec', handoff);
      handoff.sendPidfd(child.pidfd, 'setns');
      if (opts.pidFile) writePidFile(opts.pidFile, child.pid);
      return { ...child, console: handoff.take() };
    } finally {
      handoff.close();
    }
  } finally {
    native().close(target.initPidfd);
  }
}

/** Reads the record and checks the status under the container's lock; a verified pidfd of the init. */
async function openTarget(ctx: RuntimeContext, id: string, ignorePaused: boolean): Promise<Target> {
  const dir = stateDir(ctx.root, id);
  // runc's phrase: engines match "does not exist".
  if (!fs.existsSync(dir)) throw new NotFoundError('container does not exist');
  // A short section: the lock is not held while the process runs, so
  // concurrent execs of one container do not queue behind each other.
  return withLock(dir, () => {
    const record = readState(ctx.root, id);
    const status = currentStatus(record, dir);
    // runc's phrases (exec.go).
    if (status === 'stopped') throw new StateError('cannot exec in a stopped container');
    if (status === 'paused' && !ignorePaused) {
      throw new StateError('cannot exec in a paused container (use --ignore-paused to override)');
    }
    if (status === 'creating') throw new StateError('cannot exec in a container that is being created');
    const initPidfd = tryOpenInitPidfd(record);
    if (initPidfd < 0) throw new StateError('cannot exec in a stopped container');
    try {
      return { record, config: record.config ?? loadConfig(record.bundle).config, initPidfd };
    } catch (e) {
      native().close(initPidfd);
      throw e;
    }
  });
}

/** Errors in the process's fields name where the process came from. */
function processFail(source: string): PlanFail {
  return (field, message) => {
    throw new ConfigError(`${source}: ${field.replace(/^\/process/, '')}: ${message}`, source, field);
  };
}

async function spawnIntoContainer(
  ctx: RuntimeContext,
  target: Target,
  process: Process,
  dirs: CgroupDirs | undefined,
  stdio: number[] | undefined,
  preserveFds: number,
  source: string,
  handoff: ProcessHandoff,
): Promise<ExecedProcess> {
  // The container's profile, compiled again (the BPF is not recorded): before anything is spawned.
  const seccomp = execSeccomp(target);
  const { ops, spawned } = planAndSpawn(ctx, target, process, dirs, { stdio, preserveFds, seccomp, fail: processFail(source) });
  const child: ExecChild = { pid: spawned.pid, pidfd: spawned.pidfd };
  try {
    if (spawned.statusFd !== undefined) await helperExeced(spawned);
    await converseExec(spawned.syncFd, ops, child, (listener) =>
      forwardSeccompListener(listener, seccomp, ociState(target.record, 'running'), child.pid), handoff);
  } catch (e) {
    await killAndWait(child.pidfd);
    closePidfd(child.pidfd);
    throw e;
  } finally {
    native().close(spawned.syncFd);
  }
  ctx.debug?.(`exec pid ${child.pid}`);
  return child;
}

interface SpawnInputs {
  stdio: number[] | undefined;
  preserveFds: number;
  seccomp: CompiledSeccomp | undefined;
  fail: PlanFail;
}

/** The exec plan, and the helper spawned with the fds it names (closed here once it has its copies). */
function planAndSpawn(ctx: RuntimeContext, target: Target, process: Process, dirs: CgroupDirs | undefined, s: SpawnInputs): { ops: PlanOp[]; spawned: SpawnResult } {
  const tasks = dirs ? selfJoinFiles(dirs) : [];
  const tasksFds: number[] = [];
  try {
    for (const file of tasks) tasksFds.push(fs.openSync(file, fs.constants.O_WRONLY));
    // The helper holds the init's pidfd right after its sync fd (3+preserveFds), then the tasks files.
    const cgroupJoinFds = tasks.map((file, i) => ({ fd: 5 + s.preserveFds + i, path: file }));
    const plan = buildExecPlan(target.config, process, {
      initPidfd: 4 + s.preserveFds, cgroupJoinFds, preserveFds: s.preserveFds, seccomp: s.seccomp, host: probeHostFeatures(), fail: s.fail,
    });
    // The init's pidfd is open and checked (target.initPidfd): its pid names it.
    if (setgroupsDenied(target.record.pid)) plan.ops = withoutSetgroups(plan.ops, s.fail);
    ctx.debug?.(`exec plan: ${plan.ops.length} steps: ${plan.ops.map((op) => op.op).join(' ')}`);
    return { ops: plan.ops, spawned: spawnHelper(dirs, s.stdio, s.preserveFds, [target.initPidfd, ...tasksFds]) };
  } finally {
    for (const fd of tasksFds) fs.closeSync(fd);
  }
}

function execSeccomp(target: Target): CompiledSeccomp | undefined {
  const profile = target.config.linux?.seccomp;
  return profile ? compileSeccomp(profile, path.join(target.record.bundle, 'config.json')) : undefined;
}

/**
 * Resolves once the helper was exec'd (throws why not), without blocking:
 * cloned into a frozen cgroup2 cgroup (exec --ignore-paused), the child
 * stops before its execveat until the container is resumed.
 */
async function helperExeced(spawned: SpawnResult): Promise<void> {
  const statusFd = spawned.statusFd!;
  try {
    await new Promise((resolve) => native().watchFd(statusFd, false, resolve));
  } catch (e) {
    native().close(statusFd);
    throw e;
  }
  native().spawnExecStatus(spawned.pidfd, statusFd, helperPath());
}

/** cgroup.freeze of a cgroup2 directory is 1 (frozen, or on its way). */
function freezeRequested(dir: string): boolean {
  try {
    return fs.readFileSync(path.join(dir, 'cgroup.freeze'), 'utf8').trim() === '1';
  } catch {
    return false;
  }
}

function spawnHelper(dirs: CgroupDirs | undefined, stdio: number[] | undefined, preserveFds: number, passFds: number[]) {
  // CLONE_INTO_CGROUP: on cgroup2 the helper starts inside the container's cgroup.
  let cgroupFd = -1;
  if (dirs?.v2) {
    try {
      cgroupFd = fs.openSync(dirs.v2.path, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY);
    } catch (e) {
      throw new RuntimeError(`cgroup ${dirs.v2.path}: ${(e as NodeJS.ErrnoException).code}`);
    }
  }
  try {
    // Into a frozen cgroup2 cgroup the child stops before its exec: wait for
    // that on the event loop (a vfork'd child would hold us in clone3).
    const deferExecCheck = !!dirs?.v2 && freezeRequested(dirs.v2.path);
    return native().spawn({ helperPath: helperPath(), cloneFlags: 0, cgroupFd, preserveFds, stdio, passFds, deferExecCheck });
  } finally {
    if (cgroupFd >= 0) fs.closeSync(cgroupFd);
  }
}
