// Serialises operations on one container, never blocking the event loop:
// an in-process async mutex keyed by the state directory, then an OFD lock
// on <dir>/.lock against other processes, held for the duration of fn and
// released by closing the fd (the lock dies with it, also when the process
// is killed). The mutex comes first so that operations of one process on
// one container queue in JS (two OFD locks of one process conflict like two
// processes' would: a second blocking wait could deadlock the first), and
// so that at most one threadpool thread per container waits on the OFD lock.
import * as path from 'path';

export interface FileLocker {
  /** Opens (creating) and locks exclusively without waiting; -1 if held elsewhere. */
  tryLockFile(path: string): number;
  /** The same, waiting off the main thread. */
  lockFileWait(path: string): Promise<number>;
  close(fd: number): void;
}

function nativeLocker(): FileLocker {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('../native') as typeof import('../native')).native();
}

/** The tail of each container's queue: a promise that settles when the last holder is done. */
const queues = new Map<string, Promise<void>>();

/** Waits for the in-process holders of key before it; returns the release function. */
async function acquireMutex(key: string): Promise<() => void> {
  const previous = queues.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => { release = resolve; });
  const tail = previous.then(() => mine);
  queues.set(key, tail);
  await previous;
  return () => {
    release();
    // The last in the queue leaves no entry behind (1000 containers, no growth).
    if (queues.get(key) === tail) queues.delete(key);
  };
}

/**
 * Threadpool threads (4 by default) also read every sync socket and fifo:
 * locks held by other processes on many containers at once must not take
 * them all. Past this many blocked waiters, the rest retry with backoff.
 */
const MAX_BLOCKED_WAITERS = 2;
let blockedWaiters = 0;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function lockFd(lockPath: string, locker: FileLocker): Promise<number> {
  for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
    const fd = locker.tryLockFile(lockPath);
    if (fd >= 0) return fd;
    if (blockedWaiters < MAX_BLOCKED_WAITERS) {
      blockedWaiters++;
      try {
        return await locker.lockFileWait(lockPath);
      } finally {
        blockedWaiters--;
      }
    }
    await sleep(delay);
  }
}

/** How many containers have an in-process queue (tests: no growth). */
export function lockQueueCount(): number {
  return queues.size;
}

/**
 * Runs fn under the container's lock until its result settles. whenQueued
 * runs once this process's earlier holders are done, before the OFD lock is
 * taken: a check that one of them (a delete) did not remove the directory.
 */
export async function withLock<T>(
  dir: string,
  fn: () => T | Promise<T>,
  locker: FileLocker = nativeLocker(),
  whenQueued?: () => void,
): Promise<T> {
  const release = await acquireMutex(path.resolve(dir));
  try {
    whenQueued?.();
    const fd = await lockFd(path.join(dir, '.lock'), locker);
    try {
      return await fn();
    } finally {
      locker.close(fd);
    }
  } finally {
    release();
  }
}
