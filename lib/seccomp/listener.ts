// SCMP_ACT_NOTIFY: the listener fd ts-oci-init handed back goes to the
// agent at linux.seccomp.listenerPath with the container process state
// (config-linux.md "The Container Process State"): one connection, one
// sendmsg carrying the JSON and the fd, then close. Failing to send fails
// the create (the spec's MUST).
import { ContainerSystemError, RuntimeError } from '../errors';
import { native } from '../native';
import type { OciState } from '../runtime/oci-state';
import type { CompiledSeccomp } from './compile';

export interface ContainerProcessState {
  ociVersion: string;
  fds: string[];
  pid: number;
  metadata?: string;
  state: OciState;
}

export function containerProcessState(state: OciState, metadata: string | undefined): ContainerProcessState {
  return {
    ociVersion: state.ociVersion,
    fds: ['seccompFd'],
    pid: state.pid,
    ...(metadata !== undefined ? { metadata } : {}),
    state,
  };
}

/**
 * A FRAME_SECCOMP_LISTENER arrived (create or exec): its fd goes to the
 * agent with `state`, and is closed here whatever happens.
 */
export function forwardSeccompListener(
  listener: number,
  seccomp: CompiledSeccomp | undefined,
  state: OciState,
  pid: number,
): void {
  try {
    if (listener < 0) throw new ContainerSystemError({ code: 'EPROTO', detail: 'seccomp listener frame without a descriptor' });
    if (!seccomp?.listenerPath) throw new ContainerSystemError({ code: 'EPROTO', detail: 'unexpected seccomp listener from init' });
    sendToListener(seccomp.listenerPath, listener, { ...containerProcessState(state, seccomp.listenerMetadata), pid });
  } finally {
    if (listener >= 0) native().close(listener);
  }
}

/** Sends `listenerFd` to the agent; the caller still owns (and closes) it. */
export function sendToListener(listenerPath: string, listenerFd: number, message: ContainerProcessState): void {
  let sock = -1;
  try {
    sock = native().connectUnix(listenerPath);
    native().sendFd(sock, listenerFd, Buffer.from(JSON.stringify(message)));
  } catch (e) {
    const code = (e as { code?: string }).code ?? String(e);
    throw new RuntimeError(`linux.seccomp.listenerPath ${listenerPath}: cannot send the seccomp listener: ${code}`);
  } finally {
    if (sock >= 0) native().close(sock);
  }
}
