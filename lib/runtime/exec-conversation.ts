// The exec-time conversation with ts-oci-init: send the plan, follow it
// into the container's pid namespace, and learn whether it exec'd. No
// FRAME_CREATED here: the sync socket is close-on-exec in the helper, so EOF
// after FRAME_EXEC_STARTED (EXEC's last step) means the execve happened.
import { ContainerSystemError, RuntimeError } from '../errors';
import { native } from '../native';
import { describeOp } from '../plan/build';
import { encodePlan } from '../plan/encode';
import type { PlanOp } from '../plan/ops';
import { FrameType, readFrame, writeFrame } from './sync-channel';
import { decodeErrorRecord, errorFromRecord } from './error-record';
import { closePidfd, waitForExit } from './destroy';
import type { ProcessHandoff } from './console';

/** The process that becomes the exec'd one; FORK_PIDNS replaces it by its child. */
export interface ExecChild {
  pid: number;
  pidfd: number;
}

export async function converseExec(
  fd: number,
  ops: PlanOp[],
  child: ExecChild,
  onSeccompListener?: (fd: number) => void,
  handoff?: ProcessHandoff,
): Promise<void> {
  try {
    writeFrame(fd, FrameType.PLAN, encodePlan(ops));
  } catch (e) {
    // The helper is gone before reading its plan: killed with the container's cgroup.
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') throw new RuntimeError('the exec helper exited before it joined the container (is the container stopping?)');
    throw e;
  }
  let started = false;
  for (;;) {
    const frame = await readFrame(fd);
    // EOF: the execve closed the socket, or the helper died on the way (killed
    // with the container's cgroup, OOM): only the marker tells them apart.
    if (!frame) {
      if (started) return;
      throw new RuntimeError('the exec helper exited before it started the process (is the container stopping?)');
    }
    // Only the frames meant to carry one keep their descriptor; their handlers own it.
    const carriesFd = frame.type === FrameType.SECCOMP_LISTENER || frame.type === FrameType.CONSOLE;
    if (frame.fd >= 0 && !carriesFd) native().close(frame.fd);
    switch (frame.type) {
      case FrameType.ERROR:
        throw errorFromRecord(decodeErrorRecord(frame.payload), (i) => (ops[i] ? describeOp(ops[i]) : undefined));
      case FrameType.PID:
        followChild(Number(frame.payload.readBigInt64LE(0)), child);
        // No hook states to rename: exec runs no hooks.
        writeFrame(fd, FrameType.ACK);
        break;
      case FrameType.EXEC_STARTED:
        // EXEC's last step; an execve failure still follows as an ERROR frame.
        started = true;
        break;
      case FrameType.SECCOMP_LISTENER:
        // The container's NOTIFY filter, loaded by EXEC right before execve.
        if (!onSeccompListener) {
          if (frame.fd >= 0) native().close(frame.fd);
          throw new ContainerSystemError({ code: 'EPROTO', detail: 'unexpected seccomp listener from the exec helper' });
        }
        onSeccompListener(frame.fd);
        break;
      case FrameType.CONSOLE:
        // exec -t: the pty master, before the process execs.
        if (!handoff) {
          if (frame.fd >= 0) native().close(frame.fd);
          throw new ContainerSystemError({ code: 'EPROTO', detail: 'unexpected console frame from the exec helper' });
        }
        handoff.receiveConsole(frame.fd, frame.payload.toString('utf8'));
        break;
      default:
        throw new ContainerSystemError({ code: 'EPROTO', detail: `unexpected frame ${frame.type} from the exec helper` });
    }
  }
}

/**
 * The helper forked into the container's pid namespace (CLONE_PARENT: the
 * child is ours) and exits at once: hold the child from now on and reap
 * the helper without blocking the event loop.
 */
function followChild(pid: number, child: ExecChild): void {
  if (!Number.isInteger(pid) || pid <= 0) throw new RuntimeError(`exec helper reported a bad pid ${pid}`);
  const next = native().pidfdOpen(pid);
  const helper = child.pidfd;
  void waitForExit(helper).finally(() => closePidfd(helper));
  child.pid = pid;
  child.pidfd = next;
}
