// The commands engines and shells call most (`state`, `start`, `kill`,
// `delete`, `list`, `--version`, `--help`: all but create and exec),
// parsed without commander. Loading the whole CLI (commander, a command's
// definitions, the code cache of the create path) is most of what these
// commands cost beyond Node's own start, so
// bin/ts-oci tries this small bundle (dist/quick.js) first. It takes only
// the exact shapes below; anything else (an unknown or malformed flag,
// --debug, `--`, a missing or extra argument, an invalid global flag)
// returns undefined and the command line goes to the full CLI (main.ts)
// untouched, so every usage error still comes from commander. The actions,
// the global flags and the error line are the full CLI's own;
// test/unit/cli/quick.test.js checks that both give the same output and
// that the flag tables agree with commander's.
import { checkGlobals, GLOBAL_FLAGS, GlobalOptions } from './globals';
import { Logger, writeStdout } from './log';
import { reportFailure } from './report';
import { versionText } from './version';
import { stateAction } from './commands/state';
import { listAction, LIST_DEFAULT_FORMAT } from './commands/list';
import { killAction, KILL_DEFAULT_SIGNAL } from './commands/kill';
import { startAction } from './commands/start';
import { deleteAction } from './commands/delete';
import type { CliContext } from './main';

/** Long flag names and whether each takes a value; single letters name long flags. */
export interface FlagSpec {
  long: Readonly<Record<string, boolean>>;
  short: Readonly<Record<string, string>>;
}

type Values = Record<string, string | true>;

export interface QuickCommand {
  flags: FlagSpec;
  /** How many positionals: at least, at most. */
  args: readonly [number, number];
  run(cli: CliContext, values: Values, positionals: readonly string[]): Promise<void>;
}

const text = (v: string | true | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

export const QUICK_COMMANDS: Readonly<Record<string, QuickCommand>> = {
  state: { flags: { long: {}, short: {} }, args: [1, 1], run: (cli, _v, [id]) => stateAction(cli, id) },
  start: { flags: { long: {}, short: {} }, args: [1, 1], run: (cli, _v, [id]) => startAction(cli, id) },
  delete: {
    flags: { long: { force: false }, short: { f: 'force' } },
    args: [1, 1],
    run: (cli, v, [id]) => deleteAction(cli, id, { force: v.force === true || undefined }),
  },
  list: {
    flags: { long: { format: true, quiet: false }, short: { f: 'format', q: 'quiet' } },
    args: [0, 0],
    run: (cli, v) => listAction(cli, { format: text(v.format) ?? LIST_DEFAULT_FORMAT, quiet: v.quiet === true || undefined }),
  },
  kill: {
    flags: { long: { all: false }, short: { a: 'all' } },
    args: [1, 2],
    run: (cli, v, [id, signal]) => killAction(cli, id, signal ?? KILL_DEFAULT_SIGNAL, { all: v.all === true || undefined }),
  },
};

/** The global flags of globals.ts, and the program's own --version and --help. */
export const QUICK_GLOBALS: FlagSpec = {
  long: Object.fromEntries([...GLOBAL_FLAGS.map((g) => [longName(g.flags), g.flags.includes('<')]), ['version', false], ['help', false]]),
  short: { v: 'version', h: 'help' },
};

// scripts/bundle-cli.js defines it in dist/quick.js: the whole program's help, as commander renders it.
declare const TS_OCI_HELP: string | undefined;

// Commander acts on --version and --help wherever it reads them, and
// program.ts registers the commands by whether --version appears: here
// they are quick only as the last word, read as the flag itself.
const PROGRAM_FLAG_WORDS = new Set(['--version', '-v', '-version', '--help', '-h', '-help']);

/** What a line of only global flags prints (the version, the help), or undefined to leave it to the full CLI. */
function programFlagOutput(values: Values): string | undefined {
  const help = typeof TS_OCI_HELP === 'string' ? TS_OCI_HELP : undefined;
  if (values.version) return versionText() + '\n';
  // --help, or no command at all: runc, and main.ts, print the help.
  return help;
}

/** A program flag anywhere but last, or last but taken as another flag's value (`--root --version`). */
function programFlagsOutOfPlace(argv: readonly string[], values: Values): boolean {
  if (argv.slice(0, -1).some((a) => PROGRAM_FLAG_WORDS.has(a))) return true;
  return argv.length > 0 && PROGRAM_FLAG_WORDS.has(argv[argv.length - 1]) && !values.version && !values.help;
}

function longName(flags: string): string {
  return /--([a-z0-9-]+)/.exec(flags)![1];
}

interface Scanned {
  values: Values;
  positionals: string[];
  /** What follows the first positional when scanning stops there (the globals: the command and its words). */
  rest: string[];
}

/**
 * Commander's reading of these flags: `--x v`, `--x=v`, go's single-dash
 * `-x v` / `-x=v` for long names, `-q` for a letter; a value flag takes the
 * next word whatever it is; the last of a repeated flag wins. Undefined for
 * anything else, which the full CLI then reports.
 */
export function scanFlags(tokens: readonly string[], spec: FlagSpec, stopAtPositional: boolean): Scanned | undefined {
  const values: Values = {};
  const positionals: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t.startsWith('-') || t === '-') {
      if (stopAtPositional) return { values, positionals, rest: tokens.slice(i) };
      positionals.push(t);
      continue;
    }
    const m = /^(--?)([a-z][a-z0-9-]*)(?:=([^]*))?$/.exec(t);
    if (!m) return undefined;
    const [, dashes, word, inline] = m;
    // argv.ts rewrites go's `-long=v` only without a line break in v; anything it leaves is commander's to judge.
    if (inline !== undefined && /[\n\r\u2028\u2029]/.test(inline)) return undefined;
    const name = dashes === '-' && word.length === 1 ? (Object.hasOwn(spec.short, word) ? spec.short[word] : undefined) : word;
    if (name === undefined || !Object.hasOwn(spec.long, name) || (dashes === '-' && word.length === 1 && inline !== undefined)) return undefined;
    if (!spec.long[name]) {
      if (inline !== undefined) return undefined;
      values[name] = true;
    } else if (inline !== undefined) {
      values[name] = inline;
    } else {
      // `--` as a value still ends argv.ts's rewriting of single-dash flags for the rest of the line.
      if (i + 1 >= tokens.length || tokens[i + 1] === '--') return undefined;
      values[name] = tokens[++i];
    }
  }
  return { values, positionals, rest: [] };
}

/** GlobalOptions as commander builds them: camelCase names, the table's defaults. */
function globalOptions(values: Values): GlobalOptions {
  const out: Record<string, string | true | undefined> = {};
  for (const g of GLOBAL_FLAGS) {
    const name = longName(g.flags);
    out[name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())] = values[name] ?? g.defaultValue?.();
  }
  return out as unknown as GlobalOptions;
}

/** Runs the command line when it is one of the quick shapes; undefined leaves it to the full CLI. */
export function quickMain(argv: readonly string[]): Promise<number> | undefined {
  const globals = scanFlags(argv, QUICK_GLOBALS, true);
  if (!globals || globals.values.debug) return undefined;
  if (programFlagsOutOfPlace(argv, globals.values)) return undefined;
  const [verb, ...words] = globals.rest;
  if (globals.values.version || globals.values.help || verb === undefined) {
    const output = programFlagOutput(globals.values);
    if (output === undefined) return undefined;
    writeStdout(output);
    return Promise.resolve(0);
  }
  const command = Object.hasOwn(QUICK_COMMANDS, verb) ? QUICK_COMMANDS[verb] : undefined;
  const own = command && scanFlags(words, command.flags, false);
  if (!command || !own || own.positionals.length < command.args[0] || own.positionals.length > command.args[1]) return undefined;
  const options = globalOptions(globals.values);
  try {
    checkGlobals(options);
  } catch {
    return undefined;
  }
  const cli: CliContext = { globals: () => options, logger: () => new Logger(options), exitCode: 0, failureCode: 1 };
  return command.run(cli, own.values, own.positionals).then(() => cli.exitCode, (e: unknown) => {
    reportFailure(cli.logger(), e);
    return cli.failureCode;
  });
}
