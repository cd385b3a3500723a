// The stats of a container's cgroups, named as runc's `events` JSON
// (types/events.go). No imports: this is part of the public declarations.

export interface MemoryEntry { limit: bigint; usage?: bigint; max?: bigint; failcnt: bigint }
export interface BlkioEntry { major: bigint; minor: bigint; op: string; value: bigint }

export interface CgroupStats {
  cpu: {
    usage: { total?: bigint; percpu?: bigint[]; percpu_kernel?: bigint[]; percpu_user?: bigint[]; kernel: bigint; user: bigint };
    throttling: { periods?: bigint; throttled_periods?: bigint; throttled_time?: bigint };
  };
  cpuset: { cpus?: number[]; mems?: number[] };
  memory: {
    cache?: bigint;
    usage: MemoryEntry;
    swap: MemoryEntry;
    kernel: MemoryEntry;
    kernelTCP: MemoryEntry;
    raw?: Record<string, bigint>;
  };
  pids: { current?: bigint; limit?: bigint };
  blkio: { ioServiceBytesRecursive?: BlkioEntry[]; ioServicedRecursive?: BlkioEntry[] };
  hugetlb: Record<string, { usage?: bigint; max?: bigint; failcnt: bigint }>;
  intel_rdt: Record<string, never>;
  network_interfaces: null;
}


/** `T` with its bigint counters as numbers (the library's view: exact below 2^53). */
export type AsNumbers<T> = T extends bigint
  ? number
  : T extends (infer U)[]
    ? AsNumbers<U>[]
    : T extends null
      ? null
      : T extends object
        ? { [K in keyof T]: AsNumbers<T[K]> }
        : T;

/** container.stats(): runc's stats object with numbers. */
export type ContainerStats = AsNumbers<CgroupStats>;

/** What container.events() yields. */
export type ContainerEvent = { type: 'stats'; id: string; data: ContainerStats } | { type: 'oom'; id: string };
