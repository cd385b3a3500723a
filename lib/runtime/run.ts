// `run`: create + start, then (unless detached) wait for the init, forward
// the signals the CLI receives, delete, and return the container's status.
// With a terminal and no console socket, our own terminal is relayed to the
// container's pty meanwhile.
import { constants } from 'os';
import { native } from '../native';
import { CreateOptions, RuntimeContext } from './context';
import { createContainer } from './create';
import { startContainer } from './start';
import { deleteContainer } from './delete';
import { closePidfd, waitForExit } from './destroy';
import type { TerminalRelay } from './terminal-relay';
import type { ConsoleMaster } from './console';

export interface RunOptions {
  detach?: boolean;
  keep?: boolean;
}

export const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export async function runContainer(ctx: RuntimeContext, opts: CreateOptions, run: RunOptions = {}): Promise<number> {
  const { pidfd, console } = await createContainer(ctx, opts);
  let relay: TerminalRelay | undefined;
  try {
    if (console) {
      relay = await terminalRelay(console);
      relay.start();
    }
    await startContainer(ctx, opts.id, pidfd);
    if (run.detach) return 0;
    // With a relayed terminal, SIGWINCH resizes the pty instead (runc's handler).
    const stop = forwardSignals(pidfd, relay ? FORWARDED.filter((s) => s !== 'SIGWINCH') : FORWARDED);
    const exit = await waitForExit(pidfd);
    stop();
    if (!run.keep) await deleteContainer(ctx, opts.id, { force: true, pidfd });
    // All the container wrote reaches our terminal before we exit.
    await relay?.drained();
    return exit?.status ?? 0;
  } finally {
    relay?.stop();
    closePidfd(pidfd);
  }
}

/**
 * Loaded only with a terminal: the stream module (and Node's streams with
 * it, ~1.5 ms of every start) is needed by nothing else here.
 */
export async function terminalRelay(master: ConsoleMaster): Promise<TerminalRelay> {
  const [{ TerminalRelay: Relay }, { TerminalStream }] = await Promise.all([import('./terminal-relay'), import('./terminal-stream')]);
  return new Relay(new TerminalStream(master));
}

/** Forwards the signals the CLI gets to the process behind pidfd; returns the undo. */
export function forwardSignals(pidfd: number, signals: NodeJS.Signals[] = FORWARDED): () => void {
  const handlers = signals.map((sig) => {
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
