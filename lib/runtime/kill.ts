// `kill`: signal the init (through a verified pidfd) or, with --all, every
// process in the container's cgroup.
import { StateError } from '../errors';
import { native } from '../native';
import { readState } from '../state/store';
import { withContainerLock } from './locked';
import { RuntimeContext } from './context';
import { openInitPidfd } from './init-process';
import { currentStatus } from './status';

const SIGKILL = 9;

export async function killContainer(ctx: RuntimeContext, id: string, signal: number, all = false): Promise<void> {
  await withContainerLock(ctx, id, async (dir) => {
    const record = readState(ctx.root, id);
    const status = currentStatus(record, dir);
    if (status !== 'created' && status !== 'running' && status !== 'paused') {
      // runc swallows "not running" for --all: engines send it after the init has exited.
      if (all) return (await cgroupOps()).signalCgroup(record.cgroupDirs, signal);
      throw new StateError('container not running');
    }
    if (all) return (await cgroupOps()).signalCgroup(record.cgroupDirs, signal);
    const pidfd = openInitPidfd(record);
    try {
      native().pidfdSendSignal(pidfd, signal);
    } finally {
      native().close(pidfd);
    }
    // runc: a v1-frozen task acts on SIGKILL only once thawed; other signals stay pending and the container stays paused.
    if (signal === SIGKILL && status === 'paused') await (await cgroupOps()).cgroupManagerOf(record.cgroupDirs)?.thaw();
  });
}

/** The cgroup managers (every controller, the systemd driver) load only for --all and a paused container. */
function cgroupOps(): Promise<typeof import('./cgroup')> {
  return import('./cgroup');
}
