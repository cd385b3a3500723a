// The CLI: parse with the program's definitions, run one thin command, one
// error line (with a hint where a user needs one), exit codes as runc's.
import { Command, CommanderError } from 'commander';
import { normalizeArgv } from './argv';
import { Logger, writeStdout } from './log';
import { GlobalOptions } from './globals';
import { buildProgram } from './program';
import { globalFlagHint } from './hints';
import { reportFailure } from './report';

/**
 * For the build's code-cache warm-up (scripts/warm-code-cache.js), which
 * loads this bundle. Required when called: a re-export would initialise the
 * create path's modules at every start of the CLI.
 */
export function warmUpCreatePath(tmp: string): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  (require('./warm-up') as typeof import('./warm-up')).warmUpCreatePath(tmp);
}

export interface CliContext {
  globals(): GlobalOptions;
  logger(): Logger;
  /** Exit status for the process once the action resolves (run returns the container's). */
  exitCode: number;
  /** Exit status when the action fails (1; exec's is runc's 255, apart from its process's own). */
  failureCode: number;
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  const { program, cli } = buildProgram(argv);
  const known = new Set(longFlags(program));
  const shape = { valueFlags: new Set(valueFlags(program)), commandsWithTrailingArgs: new Set(['exec', 'ps']) };
  const args = normalizeArgv(argv, known, shape);
  try {
    await program.parseAsync(args, { from: 'user' });
    return cli.exitCode;
  } catch (e) {
    const logger = new Logger(program.opts<GlobalOptions>());
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      // No command at all: runc prints its help on stdout and exits 0.
      if (e.code === 'commander.help') {
        writeStdout(program.helpInformation());
        return 0;
      }
      logger.error(e.message.replace(/^error: /, '') + globalFlagHint(e, args, program));
      return 2;
    }
    reportFailure(logger, e);
    return cli.failureCode;
  }
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
