// `delete`: runc's behaviour, which containerd relies on: a created container
// is killed and deleted without --force; a running one needs --force.
import * as fs from 'fs';
import * as path from 'path';
import { NotFoundError, StateError } from '../errors';
import { readState, removeStateDir } from '../state/store';
import { withContainerLock } from './locked';
import { RuntimeContext } from './context';
import { currentStatus } from './status';
import { destroy } from './destroy';

export interface DeleteOptions {
  force?: boolean;
  /** A pidfd of the init this process holds (library containers it created). */
  pidfd?: number;
}

export async function deleteContainer(ctx: RuntimeContext, id: string, opts: DeleteOptions = {}): Promise<void> {
  try {
    await deleteLocked(ctx, id, opts);
  } catch (e) {
    // runc: `delete --force` of an id that does not exist succeeds; the
    // shims and conmon run it in cleanup, after a delete may already have run.
    if (!(opts.force && e instanceof NotFoundError)) throw e;
  }
}

async function deleteLocked(ctx: RuntimeContext, id: string, opts: DeleteOptions): Promise<void> {
  await withContainerLock(ctx, id, async (dir) => {
    if (!fs.existsSync(path.join(dir, 'state.json'))) {
      // A create killed before it saved state: nothing but the directory to remove (runc does the same).
      removeStateDir(ctx.root, id);
      return;
    }
    const record = readState(ctx.root, id);
    const status = currentStatus(record, dir);
    if ((status === 'running' || status === 'creating' || status === 'paused') && !opts.force) {
      throw new StateError(`cannot delete container ${id} that is not stopped: ${status}`);
    }
    await destroy(record, { pidfd: opts.pidfd ?? -1, runPoststop: true, warn: ctx.warn });
    removeStateDir(ctx.root, id);
  });
}
