// `pause` and `resume`: freeze and thaw the container's cgroup (v1 freezer,
// cgroup2 cgroup.freeze), resolving once the freeze has taken. runc's
// rules: only a created or running container can be paused, only a
// paused one resumed.
import { RuntimeError, StateError } from '../errors';
import { readState } from '../state/store';
import { withContainerLock } from './locked';
import { RuntimeContext } from './context';
import { currentStatus } from './status';
import { cgroupManagerOf } from './cgroup';

export async function pauseContainer(ctx: RuntimeContext, id: string): Promise<void> {
  await withContainerLock(ctx, id, async (dir) => {
    const record = readState(ctx.root, id);
    const status = currentStatus(record, dir);
    if (status !== 'running' && status !== 'created') throw new StateError('container not running');
    const manager = cgroupManagerOf(record.cgroupDirs);
    if (!manager) throw new RuntimeError('cannot pause: the container has no cgroup');
    await manager.freeze();
  });
}

export async function resumeContainer(ctx: RuntimeContext, id: string): Promise<void> {
  await withContainerLock(ctx, id, async (dir) => {
    const record = readState(ctx.root, id);
    if (currentStatus(record, dir) !== 'paused') throw new StateError('container not paused');
    await cgroupManagerOf(record.cgroupDirs)!.thaw();
  });
}
