// Mutating commands on one container are serialised by an OFD lock on
// <dir>/.lock (runc has no cross-process lock; engines usually serialise,
// but two CLIs racing on one id must not interleave), behind an in-process
// async mutex (lib/state/lock.ts).
import * as fs from 'fs';
import { NotFoundError } from '../errors';
import { stateDir } from '../state/store';
import { withLock } from '../state/lock';
import { RuntimeContext } from './context';

export async function withContainerLock<T>(ctx: RuntimeContext, id: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = stateDir(ctx.root, id);
  // runc's phrase: engines match "does not exist".
  const mustExist = () => {
    if (!fs.existsSync(dir)) throw new NotFoundError('container does not exist');
  };
  mustExist();
  // A delete that held the lock before us (this process or another) may have removed it meanwhile.
  return withLock(dir, () => {
    mustExist();
    return fn(dir);
  }, undefined, mustExist);
}
