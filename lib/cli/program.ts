// The command definitions: global flags and every command, in one commander
// program. main() parses with it; help, bash completion and the man page
// (scripts/gen-man.js) are generated from it, so a new command shows up in
// all of them by being registered in commands/index.ts. A CLI start that
// names a known command registers only that one: defining all fifteen
// commands' options is a few ms of every start.
import { Command } from 'commander';
import { RuntimeError } from '../errors';
import { Logger, writeStdout } from './log';
import { defaultRoot } from '../runtime/context';
import { GlobalOptions, commands } from './commands';
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
    .version(versionText(), '-v, --version', 'print the version')
    .option('--root <dir>', 'root directory for container state ($XDG_RUNTIME_DIR/ts-oci for an ordinary user)', defaultRoot())
    .option('--log <file>', 'write errors and debug output to this file')
    .option('--log-format <format>', 'log format: text or json', 'text')
    .option('--debug', 'print debug lines to stderr (to --log instead when given)')
    .option('--systemd-cgroup', 'make the container\'s cgroup a transient systemd scope (cgroupsPath slice:prefix:name)')
    .option('--rootless <value>', 'ignored; accepted for runc compatibility')
    .option('--cgroup-manager <manager>', 'cgroupfs (default) or systemd (the same as --systemd-cgroup)')
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

function checkGlobals(g: GlobalOptions): void {
  if (g.logFormat !== 'text' && g.logFormat !== 'json') {
    throw new RuntimeError(`invalid --log-format ${JSON.stringify(g.logFormat)}: use text or json`);
  }
  if (g.cgroupManager !== undefined && g.cgroupManager !== 'cgroupfs' && g.cgroupManager !== 'systemd') {
    throw new RuntimeError(`invalid --cgroup-manager ${JSON.stringify(g.cgroupManager)}: use cgroupfs or systemd`);
  }
  if (g.systemdCgroup && g.cgroupManager === 'cgroupfs') {
    throw new RuntimeError('--systemd-cgroup contradicts --cgroup-manager cgroupfs');
  }
}

export function packageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('../../package.json') as { version: string }).version;
}

// scripts/bundle-cli.js defines it (the git commit the CLI bundle was built from).
declare const TS_OCI_COMMIT: string | undefined;

export function buildCommit(): string {
  return typeof TS_OCI_COMMIT === 'string' && TS_OCI_COMMIT ? TS_OCI_COMMIT : 'unknown';
}

/** runc's three lines (Podman shows them in `podman info`; go-runc parses the shape). */
export function versionText(): string {
  return `ts-oci version ${packageVersion()}\ncommit: ${buildCommit()}\nspec: 1.3.0`;
}
