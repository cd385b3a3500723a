// The one line a failed command leaves on stderr and in --log, shared by
// the full CLI (main.ts) and the quick commands (quick.ts).
import { isRuntimeError } from '../errors';
import { permissionHint } from './hints';
import { Logger } from './log';

export function reportFailure(logger: Logger, e: unknown): void {
  logger.error(formatError(e) + permissionHint(e, process.geteuid?.() ?? 0));
}

/** The error's text; with several lines (schema errors), each line gets the context. */
export function formatError(e: unknown): string {
  if (isRuntimeError(e)) return e.context ? e.message.split('\n').map((l) => `${e.context}: ${l}`).join('\n') : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
