// Resource usage read from cgroupfs, in the shape of runc's `events` stats
// (types/events.go: cpu.usage.total, memory.usage.limit, pids.current...).
// Counters are bigint: cgroup files hold uint64 ("max" is 2^64-1 as in
// runc), which a JS number cannot carry exactly.
import * as path from 'path';
import type { CgroupDir } from './path';
import type { CgroupReader } from './reader';
import type { BlkioEntry, CgroupStats, MemoryEntry } from './stats-types';

export type { CgroupStats } from './stats-types';

export const MAX_UINT64 = (1n << 64n) - 1n;

export function emptyStats(): CgroupStats {
  const entry = (): MemoryEntry => ({ limit: 0n, failcnt: 0n });
  return {
    cpu: { usage: { kernel: 0n, user: 0n }, throttling: {} },
    cpuset: {},
    memory: { usage: entry(), swap: entry(), kernel: entry(), kernelTCP: entry() },
    pids: {},
    blkio: {},
    hugetlb: {},
    intel_rdt: {},
    network_interfaces: null,
  };
}

/** A file's single value: "max" is 2^64-1; undefined when missing or not a number. */
export function readUint(reader: CgroupReader, file: string): bigint | undefined {
  const v = reader.read(file)?.trim();
  if (v === undefined || v === '') return undefined;
  if (v === 'max') return MAX_UINT64;
  return /^-?\d+$/.test(v) ? BigInt(v) : undefined;
}

/** "key value" lines (memory.stat, cpu.stat, memory.events). */
export function readKeyed(reader: CgroupReader, file: string): Record<string, bigint> | undefined {
  const content = reader.read(file);
  if (content === undefined) return undefined;
  const out: Record<string, bigint> = {};
  for (const line of content.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^\d+$/.test(v)) out[k] = BigInt(v);
  }
  return out;
}

const list = (content: string | undefined): bigint[] | undefined =>
  content === undefined ? undefined : content.trim().split(/\s+/).filter(Boolean).map((v) => BigInt(v));

/** "0-2,4" → [0, 1, 2, 4]. */
export function parseCpuList(s: string | undefined): number[] | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  const out: number[] = [];
  for (const part of s.trim().split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let i = a; i <= (b ?? a); i++) out.push(i);
  }
  return out;
}

const f = (dir: CgroupDir, name: string): string => path.join(dir.path, name);
const set = <T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined): void => {
  if (v !== undefined) o[k] = v;
};

/** `o` without its undefined fields, keys in the order given (runc's JSON field order). */
function ordered<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** USER_HZ ticks of cpuacct.stat → nanoseconds (runc: * 1e9 / 100). */
const ticksToNs = (t: bigint | undefined): bigint => ((t ?? 0n) * 1_000_000_000n) / 100n;

export function v1CpuStats(s: CgroupStats, dir: CgroupDir, reader: CgroupReader): void {
  if (dir.controllers.includes('cpuacct')) {
    const stat = readKeyed(reader, f(dir, 'cpuacct.stat')) ?? {};
    s.cpu.usage = ordered({
      total: readUint(reader, f(dir, 'cpuacct.usage')),
      percpu: list(reader.read(f(dir, 'cpuacct.usage_percpu'))),
      percpu_kernel: list(reader.read(f(dir, 'cpuacct.usage_percpu_sys'))),
      percpu_user: list(reader.read(f(dir, 'cpuacct.usage_percpu_user'))),
      kernel: ticksToNs(stat.system),
      user: ticksToNs(stat.user),
    });
  }
  if (dir.controllers.includes('cpu')) {
    const stat = readKeyed(reader, f(dir, 'cpu.stat')) ?? {};
    s.cpu.throttling = ordered({ periods: stat.nr_periods, throttled_periods: stat.nr_throttled, throttled_time: stat.throttled_time });
  }
}

function v1MemoryEntry(dir: CgroupDir, reader: CgroupReader, prefix: string): MemoryEntry {
  return ordered({
    limit: readUint(reader, f(dir, `${prefix}.limit_in_bytes`)) ?? 0n,
    usage: readUint(reader, f(dir, `${prefix}.usage_in_bytes`)),
    max: readUint(reader, f(dir, `${prefix}.max_usage_in_bytes`)),
    failcnt: readUint(reader, f(dir, `${prefix}.failcnt`)) ?? 0n,
  });
}

export function v1MemoryStats(s: CgroupStats, dir: CgroupDir, reader: CgroupReader): void {
  s.memory.usage = v1MemoryEntry(dir, reader, 'memory');
  s.memory.swap = v1MemoryEntry(dir, reader, 'memory.memsw');
  s.memory.kernel = v1MemoryEntry(dir, reader, 'memory.kmem');
  s.memory.kernelTCP = v1MemoryEntry(dir, reader, 'memory.kmem.tcp');
  const raw = readKeyed(reader, f(dir, 'memory.stat'));
  if (raw) {
    s.memory.raw = raw;
    set(s.memory, 'cache', raw.cache);
  }
}

export function pidsStats(s: CgroupStats, dir: CgroupDir, reader: CgroupReader): void {
  set(s.pids, 'current', readUint(reader, f(dir, 'pids.current')));
  const limit = readUint(reader, f(dir, 'pids.max'));
  // runc reports an unlimited pids.max as 0.
  set(s.pids, 'limit', limit === MAX_UINT64 ? 0n : limit);
}

export function cpusetStats(s: CgroupStats, dir: CgroupDir, reader: CgroupReader): void {
  set(s.cpuset, 'cpus', parseCpuList(reader.read(f(dir, 'cpuset.effective_cpus')) ?? reader.read(f(dir, 'cpuset.cpus'))));
  set(s.cpuset, 'mems', parseCpuList(reader.read(f(dir, 'cpuset.effective_mems')) ?? reader.read(f(dir, 'cpuset.mems'))));
}

/** "8:0 Read 4096" lines (v1 blkio); totals ("Total 123") are skipped. */
function blkioEntries(content: string | undefined): BlkioEntry[] | undefined {
  if (content === undefined) return undefined;
  const out: BlkioEntry[] = [];
  for (const line of content.split('\n')) {
    const m = /^(\d+):(\d+) (\w+) (\d+)$/.exec(line.trim());
    if (m) out.push({ major: BigInt(m[1]), minor: BigInt(m[2]), op: m[3], value: BigInt(m[4]) });
  }
  return out;
}

export function v1BlkioStats(s: CgroupStats, dir: CgroupDir, reader: CgroupReader): void {
  set(s.blkio, 'ioServiceBytesRecursive', blkioEntries(reader.read(f(dir, 'blkio.throttle.io_service_bytes_recursive'))));
  set(s.blkio, 'ioServicedRecursive', blkioEntries(reader.read(f(dir, 'blkio.throttle.io_serviced_recursive'))));
}

/** Page sizes with hugetlb files in the directory ("2MB", "1GB"). */
function hugePageSizes(dir: CgroupDir, reader: CgroupReader, suffix: string): string[] {
  const sizes = new Set<string>();
  for (const name of reader.files?.(dir.path) ?? []) {
    const m = /^hugetlb\.([0-9]+[KMG]B)\./.exec(name);
    if (m && name.endsWith(suffix)) sizes.add(m[1]);
  }
  return [...sizes];
}

export function hugetlbStats(s: CgroupStats, dir: CgroupDir, reader: CgroupReader): void {
  const v2 = dir.version === 2;
  for (const size of hugePageSizes(dir, reader, v2 ? '.current' : '.usage_in_bytes')) {
    const p = `hugetlb.${size}`;
    const failcnt = v2 ? (readKeyed(reader, f(dir, `${p}.events`))?.max ?? 0n) : (readUint(reader, f(dir, `${p}.failcnt`)) ?? 0n);
    s.hugetlb[size] = ordered({
      usage: readUint(reader, f(dir, v2 ? `${p}.current` : `${p}.usage_in_bytes`)),
      max: readUint(reader, f(dir, v2 ? `${p}.max` : `${p}.max_usage_in_bytes`)),
      failcnt,
    });
  }
}

export function v2CpuStats(s: CgroupStats, dir: CgroupDir, reader: CgroupReader): void {
  const stat = readKeyed(reader, f(dir, 'cpu.stat'));
  if (!stat) return;
  const ns = (v: bigint | undefined): bigint | undefined => (v === undefined ? undefined : v * 1000n);
  s.cpu.usage = ordered({ total: ns(stat.usage_usec), kernel: ns(stat.system_usec) ?? 0n, user: ns(stat.user_usec) ?? 0n });
  s.cpu.throttling = ordered({ periods: stat.nr_periods, throttled_periods: stat.nr_throttled, throttled_time: ns(stat.throttled_usec) });
}

/**
 * v2 as runc's fs2 reports it: usage from memory.current, failcnt from
 * memory.events "max"; "swap" is memory+swap (v1 semantics) when the swap
 * files exist.
 */
export function v2MemoryStats(s: CgroupStats, dir: CgroupDir, reader: CgroupReader): void {
  const usage = readUint(reader, f(dir, 'memory.current'));
  if (usage === undefined) return;
  const limit = readUint(reader, f(dir, 'memory.max')) ?? MAX_UINT64;
  const events = readKeyed(reader, f(dir, 'memory.events')) ?? {};
  s.memory.usage = ordered({ limit, usage, max: readUint(reader, f(dir, 'memory.peak')), failcnt: events.max ?? 0n });
  const swapUsage = readUint(reader, f(dir, 'memory.swap.current'));
  const swapLimit = readUint(reader, f(dir, 'memory.swap.max'));
  if (swapUsage !== undefined) {
    const sum = (a: bigint, b: bigint): bigint => (a === MAX_UINT64 || b === MAX_UINT64 ? MAX_UINT64 : a + b);
    s.memory.swap = { limit: sum(swapLimit ?? MAX_UINT64, limit), usage: swapUsage + usage, failcnt: 0n };
  }
  const raw = readKeyed(reader, f(dir, 'memory.stat'));
  if (raw) {
    s.memory.raw = raw;
    set(s.memory, 'cache', raw.file);
  }
}

/** "8:0 rbytes=1 wbytes=2 rios=3 wios=4" lines of io.stat. */
export function v2IoStats(s: CgroupStats, dir: CgroupDir, reader: CgroupReader): void {
  const content = reader.read(f(dir, 'io.stat'));
  if (content === undefined) return;
  const bytes: BlkioEntry[] = [];
  const ios: BlkioEntry[] = [];
  for (const line of content.split('\n')) {
    const [dev, ...kv] = line.trim().split(/\s+/);
    const m = /^(\d+):(\d+)$/.exec(dev ?? '');
    if (!m) continue;
    for (const pair of kv) {
      const [k, v] = pair.split('=');
      const e = (op: string): BlkioEntry => ({ major: BigInt(m[1]), minor: BigInt(m[2]), op, value: BigInt(v) });
      if (k === 'rbytes') bytes.push(e('Read'));
      if (k === 'wbytes') bytes.push(e('Write'));
      if (k === 'rios') ios.push(e('Read'));
      if (k === 'wios') ios.push(e('Write'));
    }
  }
  s.blkio.ioServiceBytesRecursive = bytes;
  s.blkio.ioServicedRecursive = ios;
}

/**
 * JSON with bigints as plain numbers (exact, as Go prints uint64), keys in
 * insertion order.
 */
export function statsJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `\u0000${v.toString()}\u0000` : v)).replace(/"\\u0000(-?\d+)\\u0000"/g, '$1');
}

/** The same object with bigints as numbers (the library's view; exact below 2^53). */
export function statsAsNumbers<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));
}
