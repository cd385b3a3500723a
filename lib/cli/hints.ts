// What to do next, appended to an error line where the bare error leaves a
// new user guessing.
import type { Command, CommanderError } from 'commander';
import { needsRoot, ROOT_HINT } from '../root-hint';

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

/** Not root and EACCES/EPERM: say that ts-oci needs root. */
export function permissionHint(e: unknown, euid: number): string {
  return needsRoot(e, euid) ? ` (${ROOT_HINT})` : '';
}
