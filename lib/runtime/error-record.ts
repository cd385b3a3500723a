// Decodes the helper's fixed-size ErrorRecord (native/common/protocol.h).
import { ContainerSystemError, errnoName } from '../errors';
import type { FailureText } from '../plan/describe-failure';

export const ERROR_RECORD_SIZE = 2088;

export interface ErrorRecord {
  errno: number;
  step: number;
  syscall: string;
  path: string;
  detail: string;
}

const cstr = (b: Buffer, start: number, len: number): string => {
  const slice = b.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? len : nul).toString('utf8');
};

export function decodeErrorRecord(b: Buffer): ErrorRecord {
  if (b.length < ERROR_RECORD_SIZE) throw new Error(`short error record from ts-oci-init (${b.length} bytes)`);
  return {
    errno: b.readInt32LE(0),
    step: b.readInt32LE(4),
    syscall: cstr(b, 8, 32),
    path: cstr(b, 40, 1024),
    detail: cstr(b, 1064, 1024),
  };
}

/**
 * `describe(step)` names the failing op ("mount proc on /proc"); the error
 * line then reads like runc's: "<step>: <detail or errno name>".
 */
export function errorFromRecord(
  rec: ErrorRecord,
  describe: (step: number) => string | FailureText | undefined,
): ContainerSystemError {
  const described = describe(rec.step);
  const text: FailureText | undefined = typeof described === 'string' ? { step: described } : described;
  const step = text?.step ?? [rec.syscall, rec.path].filter(Boolean).join(' ');
  const code = rec.errno ? errnoName(rec.errno) : undefined;
  const detail = rec.detail || (code && text?.explanation ? `${code}: ${text.explanation}` : code);
  return new ContainerSystemError({
    errno: rec.errno,
    code: rec.errno ? errnoName(rec.errno) : 'EINIT',
    syscall: rec.syscall || undefined,
    path: rec.path || undefined,
    step,
    detail,
  });
}
