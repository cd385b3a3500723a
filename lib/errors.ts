// Error classes shared by the library and the CLI. Every error reaches the
// user as one line; the fields mirror Node's SystemError (code, errno,
// syscall, path) so `err.code === 'ENOENT'` works as it does for fs.

const brand = Symbol.for('ts-oci.error');

export class RuntimeError extends Error {
  readonly [brand] = true;
  /** Context prefix added by the caller, e.g. "create c1". */
  context?: string;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false });
  }
}

/** One bad field of a config: a JSON pointer and what is wrong with it. */
export interface ConfigProblem {
  field: string;
  message: string;
}

/** Invalid config.json, arguments or ids: nothing was created. */
export class ConfigError extends RuntimeError {
  /**
   * Every problem, when several were found at once (schema errors): the
   * message then has one line per problem and `field` is the first one's.
   */
  problems?: readonly ConfigProblem[];
  /** The file the bad value came from, and a JSON-pointer-like field path. */
  constructor(message: string, readonly file?: string, readonly field?: string) {
    super(message);
  }
}

/** Operation not allowed in the container's current state (runc's phrases). */
export class StateError extends RuntimeError {}

/** The container does not exist (message contains runc's "does not exist"). */
export class NotFoundError extends StateError {}

export interface SystemErrorFields {
  code?: string;
  errno?: number;
  syscall?: string;
  path?: string;
  /** Which step failed ("mount proc on /proc"). */
  step?: string;
  detail?: string;
}

/** A failed system call, in the Node process or in the container's helper. */
export class ContainerSystemError extends RuntimeError {
  code: string;
  errno: number;
  syscall?: string;
  path?: string;
  step?: string;
  detail?: string;
  constructor(fields: SystemErrorFields) {
    super(formatSystemMessage(fields));
    this.errno = fields.errno ?? 0;
    this.code = fields.code ?? errnoName(this.errno);
    this.syscall = fields.syscall;
    this.path = fields.path;
    this.step = fields.step;
    this.detail = fields.detail;
  }
}

let errnoNames: Map<number, string> | undefined;

export function errnoName(errno: number): string {
  // os is loaded at the first system error, not by every command that only imports this file (~0.3 ms).
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  errnoNames ??= new Map(Object.entries((require('os') as typeof import('os')).constants.errno).map(([name, value]) => [value, name]));
  return errnoNames.get(Math.abs(errno)) ?? (errno ? `E${Math.abs(errno)}` : 'EUNKNOWN');
}

function formatSystemMessage(f: SystemErrorFields): string {
  const code = f.code ?? errnoName(f.errno ?? 0);
  const what = f.step ?? [f.syscall, f.path].filter(Boolean).join(' ');
  if (f.detail) return what ? `${what}: ${f.detail}` : f.detail;
  return what ? `${what}: ${code}` : code;
}

export function isRuntimeError(e: unknown): e is RuntimeError {
  return typeof e === 'object' && e !== null && (e as Record<symbol, unknown>)[brand] === true;
}
