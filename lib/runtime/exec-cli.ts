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
import { forwardSignals } from './run';

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
  if (f.tty) throw new RuntimeError('exec -t (a terminal) is not supported yet');
  if (f.process) {
    if (command.length) throw new RuntimeError('exec --process takes no command: the process.json has the args');
    const file = loadProcessFile(f.process);
    return { build: (base) => processFromFile(base, file), source: f.process };
  }
  if (!command.length) throw new RuntimeError('exec needs a command, or --process process.json');
  if (f.cwd !== undefined && !f.cwd.startsWith('/')) throw new RuntimeError(`--cwd ${JSON.stringify(f.cwd)} must be an absolute path`);
  const flags = {
    args: command, cwd: f.cwd, env: f.env, user: f.user, additionalGids: f.additionalGids, caps: f.cap,
    noNewPrivs: f.newPrivs === false, apparmor: f.apparmor, processLabel: f.processLabel,
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
  });
  try {
    // Detached: the process stays our child until we exit, then belongs to
    // our subreaper (or init), as with runc exec -d.
    if (f.detach) return 0;
    const stop = forwardSignals(child.pidfd);
    const exit = await waitForExit(child.pidfd);
    stop();
    return exit?.status ?? 0;
  } finally {
    closePidfd(child.pidfd);
  }
}
