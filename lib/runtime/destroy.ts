// Step 12-13 of the lifecycle: stop every process of the container, remove
// what create made on the host, then poststop hooks (which only warn).
import { ContainerSystemError } from '../errors';
import { ExitStatus, native } from '../native';
import { ContainerRecord } from '../state/record';
import { tryOpenInitPidfd } from './init-process';
import { cgroupManagerOf, removeCgroup } from './cgroup';
import { runRuntimeHooks } from './hooks';

const SIGKILL = 9;

export interface DestroyOptions {
  /** A pidfd of the init we already hold, or -1 to open one. */
  pidfd: number;
  runPoststop: boolean;
  warn?: (msg: string) => void;
}

export async function destroy(record: ContainerRecord, opts: DestroyOptions): Promise<void> {
  const own = opts.pidfd >= 0;
  const pidfd = own ? opts.pidfd : tryOpenInitPidfd(record);
  if (pidfd >= 0) {
    try {
      await killAndWait(pidfd, () => thawForKill(record));
    } finally {
      if (!own) closePidfd(pidfd);
    }
  }
  // Without a private pid namespace the init's children outlive it: the cgroup knows them all.
  await removeCgroup(record.cgroupDirs, opts.warn);
  if (opts.runPoststop) {
    await runRuntimeHooks(record, ['poststop'], 'stopped', opts.warn ?? (() => undefined));
  }
}

/** SIGKILL, then `afterSignal` (a paused container's thaw), then the exit. */
export async function killAndWait(pidfd: number, afterSignal?: () => Promise<void>): Promise<ExitStatus | null> {
  try {
    native().pidfdSendSignal(pidfd, SIGKILL);
  } catch (e) {
    if ((e as ContainerSystemError).code !== 'ESRCH') throw e;
  }
  await afterSignal?.();
  return waitForExit(pidfd);
}

/** A v1-frozen init never acts on SIGKILL: thaw a paused container once it is signalled (runc does the same). */
async function thawForKill(record: ContainerRecord): Promise<void> {
  const manager = cgroupManagerOf(record.cgroupDirs);
  if (manager?.isFrozen()) await manager.thaw();
}

const exits = new Map<number, Promise<ExitStatus | null>>();

/**
 * Resolves when the process behind the pidfd exits; its status if it is our
 * child. One watch per pidfd: only the first waitid can reap, so every waiter
 * (Container.wait, delete, run) must share its result. `ref: false` (the
 * first caller decides) does not keep Node running for it.
 */
export function waitForExit(pidfd: number, ref = true): Promise<ExitStatus | null> {
  let exit = exits.get(pidfd);
  if (!exit) {
    exit = new Promise((resolve) => native().watchPidfd(pidfd, resolve, ref));
    exits.set(pidfd, exit);
  }
  return exit;
}

/** Closes a pidfd we waited on; its number may be reused by another open. */
export function closePidfd(pidfd: number): void {
  exits.delete(pidfd);
  native().close(pidfd);
}
