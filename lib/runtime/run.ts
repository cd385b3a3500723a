// `run`: create + start, then (unless detached) wait for the init, forward
// the signals the CLI receives, delete, and return the container's status.
import { constants } from 'os';
import { native } from '../native';
import { CreateOptions, RuntimeContext } from './context';
import { createContainer } from './create';
import { startContainer } from './start';
import { deleteContainer } from './delete';
import { closePidfd, waitForExit } from './destroy';

export interface RunOptions {
  detach?: boolean;
  keep?: boolean;
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export async function runContainer(ctx: RuntimeContext, opts: CreateOptions, run: RunOptions = {}): Promise<number> {
  const { pidfd } = await createContainer(ctx, opts);
  try {
    await startContainer(ctx, opts.id, pidfd);
    if (run.detach) return 0;
    const stop = forwardSignals(pidfd);
    const exit = await waitForExit(pidfd);
    stop();
    if (!run.keep) await deleteContainer(ctx, opts.id, { force: true, pidfd });
    return exit?.status ?? 0;
  } finally {
    closePidfd(pidfd);
  }
}

/** Forwards the signals the CLI gets to the process behind pidfd; returns the undo. */
export function forwardSignals(pidfd: number): () => void {
  const handlers = FORWARDED.map((sig) => {
    const h = () => {
      try {
        native().pidfdSendSignal(pidfd, constants.signals[sig]);
      } catch {
        // The init already exited: the wait below notices.
      }
    };
    process.on(sig, h);
    return () => process.off(sig, h);
  });
  return () => handlers.forEach((off) => off());
}
