// Reaching the container's init without PID-reuse mistakes: open a pidfd
// first, then check the start time recorded at create. If it matches, the
// pidfd is the right process for good.
import { ContainerSystemError } from '../errors';
import { native } from '../native';
import { ContainerRecord } from '../state/record';
import { procStartTime } from '../state/status';

/** A pidfd of the init, or -1 when it is gone (or the pid now names another process). */
export function tryOpenInitPidfd(record: ContainerRecord): number {
  if (!record.pid) return -1;
  let pidfd: number;
  try {
    pidfd = native().pidfdOpen(record.pid);
  } catch (e) {
    // EINVAL: the pid names no process any more, only the process group
    // or session the dead init led, kept by its orphans (a container
    // without its own pid namespace), or a thread of a process that reused
    // the pid. 6.1 and 6.12 say EINVAL there (found in the VM suites),
    // 6.18 says ESRCH.
    const code = (e as ContainerSystemError).code;
    if (code === 'ESRCH' || code === 'EINVAL') return -1;
    throw e;
  }
  let start = -1;
  try {
    start = procStartTime(record.pid);
  } catch {
    // /proc/<pid> vanished between pidfd_open and the read: the init is gone.
  }
  if (start !== record.startTime) {
    native().close(pidfd);
    return -1;
  }
  return pidfd;
}

export function openInitPidfd(record: ContainerRecord): number {
  const fd = tryOpenInitPidfd(record);
  if (fd < 0) throw new ContainerSystemError({ code: 'ESRCH', errno: 3, detail: 'container not running' });
  return fd;
}
