// Serialises operations on one container: an OFD lock on <dir>/.lock, held
// for the duration of fn and released by closing the fd (the lock dies with
// it, also when the process is killed).
import * as path from 'path';

export interface FileLocker {
  /** Opens (creating) and locks exclusively, blocking; returns the fd. */
  lockFile(path: string): number;
  close(fd: number): void;
}

function nativeLocker(): FileLocker {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('../native') as typeof import('../native')).native();
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';
}

/** Runs fn under the container's lock; an async fn keeps it until it settles. */
export function withLock<T>(dir: string, fn: () => T, locker: FileLocker = nativeLocker()): T {
  const fd = locker.lockFile(path.join(dir, '.lock'));
  let result: T;
  try {
    result = fn();
  } catch (e) {
    locker.close(fd);
    throw e;
  }
  if (!isThenable(result)) {
    locker.close(fd);
    return result;
  }
  return Promise.resolve(result).finally(() => locker.close(fd)) as unknown as T;
}
