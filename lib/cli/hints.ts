// What to do next, appended to an error line where the bare error leaves a
// new user guessing.
import type { Command, CommanderError } from 'commander';

/**
 * `ts-oci list --root X`: commander says "unknown option '--root'"; global
 * flags (runc's too) go before the command.
 */
export function globalFlagHint(e: CommanderError, args: readonly string[], program: Command): string {
  if (e.code !== 'commander.unknownOption') return '';
  const flag = /unknown option '([^'=]+)/.exec(e.message)?.[1];
  const global = program.options.find((o) => o.long === flag || o.short === flag);
  if (!global) return '';
  const command = args.find((a) => program.commands.some((c) => c.name() === a)) ?? '<command>';
  const value = global.required || global.optional ? ` ${global.flags.split(/[ ,]+/).pop()}` : '';
  return ` (global flags go before the command: ts-oci ${global.long}${value} ${command} ...)`;
}

/**
 * Run as an ordinary user, ts-oci fails on its first state directory or
 * cgroup with a bare EACCES/EPERM: say that it needs root.
 */
export function permissionHint(e: unknown, euid: number): string {
  if (euid === 0) return '';
  const code = errorCode(e) ?? errorCode((e as { cause?: unknown } | null)?.cause);
  if (code !== 'EACCES' && code !== 'EPERM') return '';
  return ' (ts-oci needs root: run it as root; rootless mode is not supported yet)';
}

function errorCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
