// RLIMIT_* names of config.json and their resource numbers
// (include/uapi/asm-generic/resource.h).

export const RLIMITS: Readonly<Record<string, number>> = Object.freeze({
  RLIMIT_CPU: 0,
  RLIMIT_FSIZE: 1,
  RLIMIT_DATA: 2,
  RLIMIT_STACK: 3,
  RLIMIT_CORE: 4,
  RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6,
  RLIMIT_NOFILE: 7,
  RLIMIT_MEMLOCK: 8,
  RLIMIT_AS: 9,
  RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11,
  RLIMIT_MSGQUEUE: 12,
  RLIMIT_NICE: 13,
  RLIMIT_RTPRIO: 14,
  RLIMIT_RTTIME: 15,
});

export function isKnownRlimit(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(RLIMITS, name);
}

const INFINITY_THRESHOLD = 1n << 63n;

/**
 * A config rlimit value as prlimit's argument: -1 is RLIM_INFINITY. JSON
 * numbers above 2^53 are imprecise, so every value >= 2^63 (including
 * 18446744073709551615, i.e. RLIM_INFINITY) means unlimited.
 */
export function rlimitValue(value: number): bigint {
  const v = BigInt(Math.trunc(value));
  return v >= INFINITY_THRESHOLD ? -1n : v;
}
