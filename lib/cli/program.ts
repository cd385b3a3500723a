// The command definitions: global flags and every command, in one commander
// program. main() parses with it; help, bash completion and the man page
// (scripts/gen-man.js) are generated from it, so a new command shows up in
// all of them by being registered in commands/index.ts. A CLI start that
// names a known command registers only that one: defining all fifteen
// commands' options is a few ms of every start.
import { Command, Option } from 'commander';
import { Logger, writeStdout } from './log';
import { GlobalOptions, commands } from './commands';
import { checkGlobals, GLOBAL_FLAGS } from './globals';
import { packageVersion, versionText } from './version';
import { registerHelp } from './commands/help';
import { registerCompletion } from './commands/completion';
import type { CliContext } from './main';

export const PROGRAM_DESCRIPTION = 'An OCI container runtime (runc-compatible CLI)';

/** The whole program; given the command line, only the command it names (all of them when it names none). */
export function buildProgram(args?: readonly string[]): { program: Command; cli: CliContext } {
  const program = new Command('ts-oci');
  const cli: CliContext = {
    globals: () => program.opts<GlobalOptions>(),
    logger: () => new Logger(program.opts<GlobalOptions>()),
    exitCode: 0,
    failureCode: 1,
  };
  program
    .description(PROGRAM_DESCRIPTION)
    .version(versionText(), '-v, --version', 'print the version');
  for (const g of GLOBAL_FLAGS) program.addOption(new Option(g.flags, g.description).default(g.defaultValue?.(), g.defaultDescription));
  program
    .enablePositionalOptions()
    .helpCommand(false)
    .exitOverride()
    // Commander's defaults read process.stdout and process.stderr, whose
    // first use loads Node's streams (~2 ms of a `--version`): help is
    // written to fd 1 directly and wrapped at 80 columns, without colours.
    .configureOutput({
      writeErr: () => undefined,
      writeOut: writeStdout,
      getOutHelpWidth: () => 80,
      getErrHelpWidth: () => 80,
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .showHelpAfterError(false);
  program.hook('preAction', (_program, action) => {
    const globals = program.opts<GlobalOptions>();
    checkGlobals(globals);
    cli.logger().debug(`ts-oci ${packageVersion()}: ${action.name()}, root ${globals.root}`);
  });
  const verb = args && commandWord(args, program);
  const only = commands.find((c) => verb !== undefined && c.names.includes(verb));
  // `--version` alone needs no command; help, completion and an unknown word need them all.
  const versionOnly = args !== undefined && verb === undefined && args.some((a) => a === '-v' || a === '--version');
  if (only) {
    only.register(program, cli);
  } else if (!versionOnly) {
    for (const c of commands) c.register(program, cli);
    registerHelp(program, cli);
    registerCompletion(program, cli);
  }
  return { program, cli };
}

/** The first word that is not a global flag or its value (`--root X run ...` → run). */
export function commandWord(args: readonly string[], program: Command): string | undefined {
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).map((o) => o.long!.slice(2)));
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') return undefined;
    if (!a.startsWith('-') || a === '-') return a;
    const name = /^--?([^=]+)$/.exec(a)?.[1];
    if (name !== undefined && takesValue.has(name)) i++;
  }
  return undefined;
}
