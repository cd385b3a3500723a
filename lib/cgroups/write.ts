// One line written to one cgroup file; the unit every controller emits.

export interface CgroupWrite {
  /** File name inside the container's cgroup directory (`memory.max`). */
  file: string;
  value: string;
  /**
   * Skip the write when the file does not exist (runc tolerates a missing
   * memory.swap.max when it would only write "max" or "0": swap accounting off).
   */
  optional?: boolean;
}

/** int64 from JSON as a decimal string, never in exponent notation. */
export function formatInt(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}
