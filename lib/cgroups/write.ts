// One line written to one cgroup file; the unit every controller emits.
import { ConfigError } from '../errors';

export interface CgroupWrite {
  /** File name inside the container's cgroup directory (`memory.max`). */
  file: string;
  value: string;
  /**
   * Skip the write when the file does not exist (runc tolerates a missing
   * memory.swap.max when it would only write "max" or "0": swap accounting off).
   */
  optional?: boolean;
  /**
   * The config field this write applies (dotted, "linux.resources.blockIO.weight").
   * Such a write is required: when its file (and fallback) does not exist in
   * the created cgroup, the create is refused naming the field, never skipped.
   */
  field?: string;
  /**
   * Refused with EINVAL, written again after the next write (v1 cpu: a
   * period may be invalid against the current quota or runtime until the
   * new one is in; runc retries the same way).
   */
  retryAfterNext?: boolean;
  /** Written instead when `file` does not exist (blkio.weight → blkio.bfq.weight). */
  fallback?: { file: string; value: string };
}

/** A ConfigError whose message names the field, as every refusal does. */
export function fieldRefusal(field: string, message: string): ConfigError {
  return new ConfigError(`${field}: ${message}`, undefined, field);
}

/** int64 from JSON as a decimal string, never in exponent notation. */
export function formatInt(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}
