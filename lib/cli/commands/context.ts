// Shared by the command files: the runtime context from global flags, and
// error context ("create c1") so the one error line says what failed.
import * as path from 'path';
import { callerFdsFromEnv } from '../../runtime/preserved-fds';
import { Command } from 'commander';
import { isRuntimeError, RuntimeError } from '../../errors';
import type { RuntimeContext } from '../../runtime/context';
import type { CliContext } from '../main';

export function runtimeContext(cli: CliContext): RuntimeContext {
  const logger = cli.logger();
  const g = cli.globals();
  return {
    root: path.resolve(g.root),
    warn: (m) => logger.warn(m),
    debug: (m) => logger.debug(m),
    cgroupManager: g.systemdCgroup || g.cgroupManager === 'systemd' ? 'systemd' : 'cgroupfs',
  };
}

/** Runs a command action, prefixing failures with "<verb> <id>". */
export async function withContext(what: string, fn: () => Promise<void> | void): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (isRuntimeError(e)) {
      e.context = what;
      throw e;
    }
    const err = new RuntimeError(e instanceof Error ? e.message : String(e), { cause: e });
    err.context = what;
    throw err;
  }
}

/** Flags every create-like command shares (create, run). */
export function addCreateFlags(cmd: Command): Command {
  return cmd
    .option('-b, --bundle <dir>', 'path to the bundle directory', '.')
    .option('--pid-file <file>', 'write the init pid to this file')
    .option('--console-socket <path>', 'unix socket that receives the pty master (process.terminal)')
    .option('--pidfd-socket <path>', 'unix socket that receives a pidfd of the init')
    .option('--no-pivot', 'do not use pivot_root to jail the process inside the rootfs')
    .option('--no-new-keyring', 'do not create a new session keyring for the container')
    .option('--preserve-fds <n>', 'pass N additional file descriptors (3..3+N-1) to the container', parseCount, 0);
}

export interface CreateFlags {
  bundle: string;
  pidFile?: string;
  consoleSocket?: string;
  pidfdSocket?: string;
  pivot: boolean;
  newKeyring: boolean;
  preserveFds: number;
}

export function createOptions(id: string, flags: CreateFlags) {
  return {
    id,
    bundle: flags.bundle,
    pidFile: flags.pidFile,
    consoleSocket: flags.consoleSocket,
    pidfdSocket: flags.pidfdSocket,
    noPivot: !flags.pivot,
    noNewKeyring: !flags.newKeyring,
    preserveFds: flags.preserveFds,
    passedFds: callerFdsFromEnv(),
  };
}

function parseCount(v: string): number {
  if (!/^\d+$/.test(v)) throw new RuntimeError(`invalid --preserve-fds value ${JSON.stringify(v)}: need a whole number`);
  return Number(v);
}
