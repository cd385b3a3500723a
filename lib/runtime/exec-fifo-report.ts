// What the helper wrote to the exec fifo once `start` released it
// (native/common/protocol.h): EXEC_MARKER alone means it reached execve;
// an ErrorRecord (after the marker if execve itself failed) is a failure;
// nothing at all means it died without running the container process.
import { ContainerSystemError } from '../errors';
import { decodeErrorRecord, ERROR_RECORD_SIZE, ErrorRecord } from './error-record';

export const EXEC_MARKER = 0x43455845;

export type FifoReport = { ok: true } | { ok: false; record?: ErrorRecord; reason?: string };

export function parseFifoReport(report: Buffer | null): FifoReport {
  const data = report ?? Buffer.alloc(0);
  const marked = data.length >= 4 && data.readUInt32LE(0) === EXEC_MARKER;
  const rest = marked ? data.subarray(4) : data;
  if (marked && rest.length === 0) return { ok: true };
  if (rest.length === ERROR_RECORD_SIZE) return { ok: false, record: decodeErrorRecord(rest) };
  if (data.length === 0) {
    return { ok: false, reason: 'container init exited before running the process (killed while created?)' };
  }
  return { ok: false, reason: `unexpected ${data.length}-byte report from the container init on the exec fifo` };
}

/** The error `start` throws for a failed report. */
export function fifoReportError(r: Exclude<FifoReport, { ok: true }>, fromRecord: (rec: ErrorRecord) => Error): Error {
  if (r.record) return fromRecord(r.record);
  return new ContainerSystemError({ errno: 0, code: 'EINIT', detail: r.reason });
}
