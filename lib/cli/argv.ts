// Engines call runtimes the way Go's flag packages parse: `--x=v`, `--x v`
// and single-dash long flags (go-runc sends `-no-subreaper`). Commander
// only knows the double-dash form, so single-dash long flags are rewritten
// before parsing.

export interface ArgvShape {
  /** Flags (`--cwd`, `-e`) that take the next token as their value unless given `=value`. */
  valueFlags: ReadonlySet<string>;
  /** Commands whose words after the first positional (`exec <id> <cmd...>`) belong to the container. */
  commandsWithTrailingArgs: ReadonlySet<string>;
}

const NO_SHAPE: ArgvShape = { valueFlags: new Set(), commandsWithTrailingArgs: new Set() };

/**
 * Rewrites `-long-flag[=v]` to `--long-flag[=v]` when it is a known long
 * flag; never after `--`, nor in the command line `exec` runs in the container.
 */
export function normalizeArgv(args: readonly string[], knownLongFlags: ReadonlySet<string>, shape: ArgvShape = NO_SHAPE): string[] {
  const out: string[] = [];
  let passthrough = false;
  let verb: string | undefined;
  let takesValue = false;
  for (const a of args) {
    if (passthrough || a === '--') {
      passthrough = true;
      out.push(a);
      continue;
    }
    if (takesValue) {
      takesValue = false;
      out.push(a);
      continue;
    }
    if (!a.startsWith('-') || a === '-') {
      out.push(a);
      if (verb === undefined) verb = a;
      else if (shape.commandsWithTrailingArgs.has(verb)) passthrough = true;
      continue;
    }
    const m = /^-([a-z][a-z0-9-]+)(=.*)?$/.exec(a);
    const flag = m && knownLongFlags.has(m[1]) ? `-${a}` : a;
    out.push(flag);
    if (!flag.includes('=') && shape.valueFlags.has(flag)) takesValue = true;
  }
  return out;
}
