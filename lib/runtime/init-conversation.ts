// The create-time conversation with ts-oci-init over the sync socket:
// send the plan, serve its syncs, follow it into a joined pid namespace,
// until it reports CREATED or an error.
import { ContainerSystemError, RuntimeError } from '../errors';
import { native } from '../native';
import { describeOp } from '../plan/build';
import { PlanOp, SYNC_CREATE_RUNTIME } from '../plan/ops';
import { ContainerRecord } from '../state/record';
import { procStartTime } from '../state/status';
import { Frame, FrameType, readFrame, writeFrame } from './sync-channel';
import { decodeErrorRecord, errorFromRecord } from './error-record';
import { describeFailure } from '../plan/describe-failure';
import { runRuntimeHooks } from './hooks';
import { closePidfd, waitForExit } from './destroy';
import { ociState } from './oci-state';
import type { CompiledSeccomp } from '../seccomp/compile';
import { forwardSeccompListener } from '../seccomp/listener';
import type { ProcessHandoff } from './console';

/** The process that will exec the container's program; FORK_PIDNS replaces it. */
export interface InitProcess {
  pid: number;
  pidfd: number;
}

/** What the conversation needs beyond the plan: where a seccomp listener and the pty master go. */
export interface ConverseOptions {
  seccomp?: CompiledSeccomp;
  /** Where the pty master goes (process.terminal). */
  handoff?: ProcessHandoff;
  /** The container cgroup's OOM-kill count, to tell an OOM-killed init from another early exit. */
  oomKills?: () => number | undefined;
}

/** `plan` is `encodePlan(ops)`: create encodes it while a systemd scope starts. */
export async function converse(
  fd: number,
  plan: Buffer,
  ops: PlanOp[],
  record: ContainerRecord,
  init: InitProcess,
  options: ConverseOptions = {},
): Promise<void> {
  writeFrame(fd, FrameType.PLAN, plan);
  for (;;) {
    const frame = await readFrame(fd);
    if (!frame) throw new RuntimeError(exitedEarly(options));
    // Only the frames meant to carry one keep their descriptor; their handlers own it.
    const carriesFd = frame.type === FrameType.SECCOMP_LISTENER || frame.type === FrameType.CONSOLE;
    if (frame.fd >= 0 && !carriesFd) native().close(frame.fd);
    switch (frame.type) {
      case FrameType.CREATED:
        return;
      case FrameType.ERROR: {
        const rec = decodeErrorRecord(frame.payload);
        throw errorFromRecord(rec, (i) => (ops[i] ? describeFailure(ops[i], rec.errno) : undefined));
      }
      case FrameType.SYNC:
        if (Number(frame.payload.readBigInt64LE(0)) !== SYNC_CREATE_RUNTIME) throw new RuntimeError('unexpected sync from init');
        // prestart (deprecated) and createRuntime run in the runtime namespace, after the
        // container's namespaces exist and before pivot_root (runtime.md steps 3-4).
        await runRuntimeHooks(record, ['prestart', 'createRuntime'], 'creating');
        writeFrame(fd, FrameType.ACK);
        break;
      case FrameType.PID:
        await followIntoPidNamespace(Number(frame.payload.readBigInt64LE(0)), record, init);
        // The plan's hook states named the helper's pid; the child's answer names its own.
        writeFrame(fd, FrameType.ACK, hookStatesNaming(ops, record));
        break;
      case FrameType.SECCOMP_LISTENER:
        // The helper carries on meanwhile; its NOTIFY rules wait for the agent.
        forwardSeccompListener(frame.fd, options.seccomp, ociState(record, 'creating'), record.pid);
        break;
      case FrameType.CONSOLE:
        receiveConsole(frame, options.handoff);
        break;
      default:
        throw new ContainerSystemError({ code: 'EPROTO', detail: `unexpected frame ${frame.type} from init` });
    }
  }
}

/**
 * Why init closed the sync socket without a report. A memory limit below
 * what the helper needs gets it OOM-killed on its way in: runc's phrase
 * for that (engines show it as is); the counter is read before the cgroup
 * is removed.
 */
export function exitedEarly(options: ConverseOptions): string {
  if ((options.oomKills?.() ?? 0) > 0) return 'container init was OOM-killed (memory limit too low?)';
  const why = 'container init exited before it was created';
  // Past the filter a profile may refuse even the error report (lib/plan/seccomp.ts).
  return options.seccomp ? `${why} (did the seccomp profile deny a syscall it makes after loading the filter?)` : why;
}

function receiveConsole(frame: Frame, handoff: ProcessHandoff | undefined): void {
  if (frame.fd < 0 || !handoff) {
    if (frame.fd >= 0) native().close(frame.fd);
    throw new ContainerSystemError({ code: 'EPROTO', detail: 'unexpected console frame from init' });
  }
  handoff.receiveConsole(frame.fd, frame.payload.toString('utf8'));
}

/**
 * The helper forked into a joined pid namespace (CLONE_PARENT: the child is
 * ours too) and exits: reap it, and hold the child from now on. Its cgroups
 * are inherited from the helper.
 */
async function followIntoPidNamespace(pid: number, record: ContainerRecord, init: InitProcess): Promise<void> {
  const child = native().pidfdOpen(pid);
  // Reaped through the loop (pidfd readable), not a blocking waitid.
  await waitForExit(init.pidfd);
  closePidfd(init.pidfd);
  init.pid = pid;
  init.pidfd = child;
  record.pid = pid;
  record.startTime = procStartTime(pid);
}

/** Entries of u32 op index, u32 length, state JSON for every HOOK_STATE op (protocol.h FRAME_PID). */
export function hookStatesNaming(ops: PlanOp[], record: ContainerRecord): Buffer {
  const parts: Buffer[] = [];
  ops.forEach((op, i) => {
    if (op.op !== 'hookState') return;
    const json = Buffer.from(JSON.stringify(ociState(record, (JSON.parse(op.json) as { status: string }).status)));
    const head = Buffer.alloc(8);
    head.writeUInt32LE(i, 0);
    head.writeUInt32LE(json.length, 4);
    parts.push(head, json);
  });
  return Buffer.concat(parts);
}

/** Errors after `start` come through the fifo with a step index; keep their descriptions. */
export function stepsAfterCreated(ops: PlanOp[]): Record<number, string> {
  const steps: Record<number, string> = {};
  const created = ops.findIndex((op) => op.op === 'created');
  for (let i = created + 1; i < ops.length; i++) steps[i] = describeOp(ops[i]);
  return steps;
}
