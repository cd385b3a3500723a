// The CLI's exec: the process from flags or --process, then (unless
// detached) the signals forwarded and the exit status returned, as runc.
import { RuntimeError } from '../errors';
import { callerFdsFromEnv } from './preserved-fds';
import { loadProcessFile } from '../spec/load-process';
import type { Process } from '../spec/types';
import { RuntimeContext } from './context';
import { execInContainer } from './exec';
import { processFromFile, processFromFlags } from './exec-process';
import { closePidfd, waitForExit } from './destroy';
import { FORWARDED, forwardSignals, terminalRelay } from './run';
import type { TerminalRelay } from './terminal-relay';

export interface ExecCliFlags {
  consoleSocket?: string;
  pidfdSocket?: string;
  cwd?: string;
  env: string[];
  tty?: boolean;
  user?: string;
  additionalGids: number[];
  process?: string;
  detach?: boolean;
  pidFile?: string;
  processLabel?: string;
  apparmor?: string;
  newPrivs: boolean;
  cap: string[];
  preserveFds: number;
  cgroup: string[];
  ignorePaused?: boolean;
}

function processBuilder(command: string[], f: ExecCliFlags): { build: (base: Process) => Process; source: string } {
  if (f.process) {
    if (command.length) throw new RuntimeError('exec --process takes no command: the process.json has the args');
    const file = loadProcessFile(f.process);
    return { build: (base) => processFromFile(base, file), source: f.process };
  }
  if (!command.length) throw new RuntimeError('exec needs a command, or --process process.json');
  if (f.cwd !== undefined && !f.cwd.startsWith('/')) throw new RuntimeError(`--cwd ${JSON.stringify(f.cwd)} must be an absolute path`);
  const flags = {
    args: command, cwd: f.cwd, env: f.env, user: f.user, additionalGids: f.additionalGids, caps: f.cap,
    noNewPrivs: f.newPrivs === false, apparmor: f.apparmor, processLabel: f.processLabel, tty: f.tty,
  };
  return { build: (base) => processFromFlags(base, flags), source: 'exec' };
}

export async function runExec(ctx: RuntimeContext, id: string, command: string[], f: ExecCliFlags): Promise<number> {
  const { build, source } = processBuilder(command, f);
  const child = await execInContainer(ctx, id, {
    process: build,
    source,
    preserveFds: f.preserveFds,
    passedFds: callerFdsFromEnv(),
    ignorePaused: f.ignorePaused,
    cgroup: f.cgroup,
    pidFile: f.pidFile,
    consoleSocket: f.consoleSocket,
    pidfdSocket: f.pidfdSocket,
    // In the foreground ts-oci relays its own terminal to the process's pty.
    keepConsole: !f.detach,
  });
  let relay: TerminalRelay | undefined;
  try {
    // Detached: the process stays our child until we exit, then belongs to
    // our subreaper (or init), as with runc exec -d.
    if (f.detach) return 0;
    if (child.console) {
      relay = await terminalRelay(child.console);
      relay.start();
    }
    // With a relayed terminal, SIGWINCH resizes the pty instead (runc's handler).
    const stop = forwardSignals(child.pidfd, relay ? FORWARDED.filter((s) => s !== 'SIGWINCH') : FORWARDED);
    const exit = await waitForExit(child.pidfd);
    stop();
    // All the process wrote reaches our terminal first; what it left
    // running in the background may hold the pty: that does not keep us.
    await relay?.drainedOrQuiet();
    return exit?.status ?? 0;
  } finally {
    relay?.stop();
    closePidfd(child.pidfd);
  }
}
