// The CLI: global flags, one thin command per file, one error line, exit codes.
import { Command, CommanderError } from 'commander';
import { isRuntimeError, RuntimeError } from '../errors';
import { normalizeArgv } from './argv';
import { Logger } from './log';
import { DEFAULT_ROOT } from '../runtime/context';
import { GlobalOptions, commands } from './commands';

export interface CliContext {
  globals(): GlobalOptions;
  logger(): Logger;
  /** Exit status for the process once the action resolves (run returns the container's). */
  exitCode: number;
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const program = new Command('ts-oci');
  const cli: CliContext = {
    globals: () => program.opts<GlobalOptions>(),
    logger: () => new Logger(program.opts<GlobalOptions>()),
    exitCode: 0,
  };
  program
    .description('An OCI container runtime (runc-compatible CLI)')
    .version(versionText(), '-v, --version', 'print the version')
    .option('--root <dir>', 'root directory for container state', DEFAULT_ROOT)
    .option('--log <file>', 'write errors and debug output to this file')
    .option('--log-format <format>', 'log format: text or json', 'text')
    .option('--debug', 'enable debug logging')
    .option('--systemd-cgroup', 'use the systemd cgroup driver (not supported yet)')
    .option('--rootless <value>', 'ignored; accepted for runc compatibility')
    .option('--cgroup-manager <manager>', 'cgroupfs (default) or systemd (not supported yet)')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) })
    .showHelpAfterError(false);
  program.hook('preAction', () => checkGlobals(program.opts<GlobalOptions>()));
  for (const register of commands) register(program, cli);
  const known = new Set(longFlags(program));
  const shape = { valueFlags: new Set(valueFlags(program)), commandsWithTrailingArgs: new Set(['exec']) };
  try {
    await program.parseAsync(normalizeArgv(argv, known, shape), { from: 'user' });
    return cli.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      new Logger(program.opts<GlobalOptions>()).error(e.message.replace(/^error: /, ''));
      return 2;
    }
    new Logger(program.opts<GlobalOptions>()).error(formatError(e));
    return 1;
  }
}

function checkGlobals(g: GlobalOptions): void {
  if (g.logFormat !== 'text' && g.logFormat !== 'json') {
    throw new RuntimeError(`invalid --log-format ${JSON.stringify(g.logFormat)}: use text or json`);
  }
  if (g.systemdCgroup || (g.cgroupManager && g.cgroupManager !== 'cgroupfs')) {
    throw new RuntimeError('the systemd cgroup driver is not supported yet: use the cgroupfs driver');
  }
}

/** The error's text; with several lines (schema errors), each line gets the context. */
export function formatError(e: unknown): string {
  if (isRuntimeError(e)) return e.context ? e.message.split('\n').map((l) => `${e.context}: ${l}`).join('\n') : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

function longFlags(cmd: Command): string[] {
  const names = cmd.options.map((o) => o.long?.replace(/^--/, '')).filter((x): x is string => !!x);
  return names.concat(...cmd.commands.map(longFlags));
}

/** Every spelling (`--cwd`, `-e`) of the options that take a value. */
function valueFlags(cmd: Command): string[] {
  const names = cmd.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short]).filter((x): x is string => !!x);
  return names.concat(...cmd.commands.map(valueFlags));
}

function versionText(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const pkg = require('../../package.json') as { version: string };
  return `ts-oci version ${pkg.version}\nspec: 1.3.0\nnode: ${process.version}`;
}
