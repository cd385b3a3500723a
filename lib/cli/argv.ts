// Engines call runtimes the way Go's flag packages parse: `--x=v`, `--x v`
// and single-dash long flags (go-runc sends `-no-subreaper`). Commander
// only knows the double-dash form, so single-dash long flags are rewritten
// before parsing.

/** Rewrites `-long-flag[=v]` to `--long-flag[=v]` when it is a known long flag. */
export function normalizeArgv(args: readonly string[], knownLongFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const a of args) {
    if (passthrough || a === '--') {
      passthrough = true;
      out.push(a);
      continue;
    }
    const m = /^-([a-z][a-z0-9-]+)(=.*)?$/.exec(a);
    out.push(m && knownLongFlags.has(m[1]) ? `-${a}` : a);
  }
  return out;
}
