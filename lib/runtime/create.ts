// `create`: everything in config.json but the user process. The order is
// the spec's lifecycle steps 1-5; any failure undoes what was done (runtime.md
// "Errors": as if the operation had never been attempted).
import * as fs from 'fs';
import * as path from 'path';
import { ContainerSystemError, RuntimeError } from '../errors';
import { helperPath, native } from '../native';
import { encodePlan } from '../plan/encode';
import { buildLaunchPlan, describeOp } from '../plan/build';
import { PlanOp, SYNC_CREATE_RUNTIME } from '../plan/ops';
import { loadConfig } from '../spec/load';
import { createStateDir, removeStateDir, writeState } from '../state/store';
import { ContainerRecord } from '../state/record';
import { procStartTime } from '../state/status';
import { FrameType, readFrame, writeFrame } from './sync-channel';
import { decodeErrorRecord, errorFromRecord } from './error-record';
import { CreateOptions, RuntimeContext } from './context';
import { ContainerCgroup, setUpCgroup } from './cgroup';
import { ociState } from './oci-state';
import { runRuntimeHooks } from './hooks';
import { closePidfd, destroy } from './destroy';
import { writePidFile } from './pid-file';

export interface CreatedContainer {
  record: ContainerRecord;
  /** CLONE_PIDFD of the init; the caller owns it (wait, kill). */
  pidfd: number;
}

export async function createContainer(ctx: RuntimeContext, opts: CreateOptions): Promise<CreatedContainer> {
  const bundle = path.resolve(opts.bundle);
  const { config } = loadConfig(bundle);
  if (config.process?.terminal) {
    throw new RuntimeError('process.terminal is not supported yet: set "terminal": false in config.json');
  }
  if (opts.consoleSocket) throw new RuntimeError('--console-socket is not supported yet');
  const rootfs = path.resolve(bundle, config.root!.path);
  const dir = createStateDir(ctx.root, opts.id);
  const record: ContainerRecord = {
    ociVersion: config.ociVersion,
    id: opts.id,
    pid: 0,
    status: 'creating',
    bundle,
    rootfs,
    created: new Date().toISOString(),
    owner: '',
    annotations: config.annotations ?? {},
    startTime: 0,
    cgroupDirs: undefined,
    hooks: config.hooks ?? {},
    startSteps: {},
  };
  let cgroup: ContainerCgroup | undefined;
  let pidfd = -1;
  try {
    const fifoPath = path.join(dir, 'exec.fifo');
    native().mkfifo(fifoPath, 0o622);
    cgroup = setUpCgroup(config, opts.id);
    record.cgroupDirs = cgroup.dirs;
    const plan = buildLaunchPlan(config, {
      bundle,
      rootfs,
      statePath: dir,
      fifoPath,
      noPivot: !!opts.noPivot,
      noNewKeyring: !!opts.noNewKeyring,
      preserveFds: opts.preserveFds ?? 0,
      hookState: (status: string) => status,
      cgroup: cgroup.planContext,
    });
    for (const w of plan.warnings) ctx.warn?.(w);
    ctx.debug?.(`cgroups: ${[...(cgroup.dirs.v1 ?? []), ...(cgroup.dirs.v2 ? [cgroup.dirs.v2] : [])].map((d) => d.path).join(' ')}`);
    ctx.debug?.(`plan: clone flags 0x${plan.cloneFlags.toString(16)}, ${plan.ops.length} steps: ${plan.ops.map((op) => op.op).join(' ')}`);
    const spawned = spawnInit(plan.cloneFlags, cgroup, opts.preserveFds ?? 0);
    pidfd = spawned.pidfd;
    record.pid = spawned.pid;
    record.startTime = procStartTime(spawned.pid);
    ctx.debug?.(`init pid ${spawned.pid}`);
    cgroup.join(spawned.pid);
    const ops = plan.ops.map((op) =>
      op.op === 'hookState' ? { ...op, json: JSON.stringify(ociState(record, op.json)) } : op,
    );
    try {
      await converse(spawned.syncFd, ops, record);
    } finally {
      native().close(spawned.syncFd);
    }
    record.startSteps = stepsAfterCreated(ops);
    record.status = 'created';
    writeState(dir, record);
    if (opts.pidFile) writePidFile(opts.pidFile, record.pid);
    return { record, pidfd };
  } catch (e) {
    await destroy(record, { pidfd, runPoststop: record.pid > 0 });
    if (pidfd >= 0) closePidfd(pidfd);
    removeStateDir(ctx.root, opts.id);
    throw e;
  }
}

function spawnInit(cloneFlags: number, cgroup: ContainerCgroup, preserveFds: number) {
  const cgroupFd = cgroup.v2Dir ? fs.openSync(cgroup.v2Dir, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY) : -1;
  try {
    return native().spawn({ helperPath: helperPath(), cloneFlags, cgroupFd, preserveFds });
  } finally {
    if (cgroupFd >= 0) fs.closeSync(cgroupFd);
  }
}

/** The create-time conversation: send the plan, serve syncs, until CREATED. */
async function converse(fd: number, ops: PlanOp[], record: ContainerRecord): Promise<void> {
  writeFrame(fd, FrameType.PLAN, encodePlan(ops));
  for (;;) {
    const frame = readFrame(fd);
    if (!frame) throw new RuntimeError('container init exited before it was created');
    switch (frame.type) {
      case FrameType.CREATED:
        return;
      case FrameType.ERROR:
        throw errorFromRecord(decodeErrorRecord(frame.payload), (i) => (ops[i] ? describeOp(ops[i]) : undefined));
      case FrameType.SYNC:
        if (Number(frame.payload.readBigInt64LE(0)) !== SYNC_CREATE_RUNTIME) throw new RuntimeError('unexpected sync from init');
        // prestart (deprecated) and createRuntime run in the runtime namespace, after the
        // container's namespaces exist and before pivot_root (runtime.md steps 3-4).
        await runRuntimeHooks(record, ['prestart', 'createRuntime'], 'creating');
        writeFrame(fd, FrameType.ACK);
        break;
      case FrameType.WARN:
        break;
      default:
        throw new ContainerSystemError({ code: 'EPROTO', detail: `unexpected frame ${frame.type} from init` });
    }
  }
}

/** Errors after `start` come through the fifo with a step index; keep their descriptions. */
function stepsAfterCreated(ops: PlanOp[]): Record<number, string> {
  const steps: Record<number, string> = {};
  const created = ops.findIndex((op) => op.op === 'created');
  for (let i = created + 1; i < ops.length; i++) steps[i] = describeOp(ops[i]);
  return steps;
}
