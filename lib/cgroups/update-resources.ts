// `update`: runc's flags → a linux.resources fragment, and the fragment
// merged over the container's current resources. Only the sections an
// update names are rewritten, each whole (memory limit and swap together,
// so their write order can follow the current limit).
import { ConfigError } from '../errors';
import type { Resources } from '../spec/types';

export interface UpdateFlags {
  blkioWeight?: string;
  cpuPeriod?: string;
  cpuQuota?: string;
  cpuBurst?: string;
  cpuShare?: string;
  cpuShares?: string;
  cpuRtPeriod?: string;
  cpuRtRuntime?: string;
  cpusetCpus?: string;
  cpusetMems?: string;
  kernelMemory?: string;
  kernelMemoryTcp?: string;
  memory?: string;
  memoryReservation?: string;
  memorySwap?: string;
  pidsLimit?: string;
  l3CacheSchema?: string;
  memBwSchema?: string;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

function bad(flag: string, value: string, why: string): ConfigError {
  return new ConfigError(`invalid value for --${flag}: ${JSON.stringify(value)}: ${why}`, undefined, flag);
}

/** runc's memory values: "-1" (unlimited) or a size with an optional binary unit ("512m", "1GiB", "64kb"). */
export function parseBytes(flag: string, value: string): number {
  if (value.trim() === '-1') return -1;
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(value.trim());
  if (!m) throw bad(flag, value, 'need a size such as 512m, or -1');
  const n = Math.floor(Number(m[1]) * UNITS[m[2].toLowerCase()]);
  if (!Number.isSafeInteger(n)) throw bad(flag, value, 'too large');
  return n;
}

function parseInt64(flag: string, value: string, min = -Infinity): number {
  if (!/^-?\d+$/.test(value.trim()) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw bad(flag, value, min === 0 ? 'need a whole number' : 'need an integer');
  }
  return Number(value);
}

/** The fragment runc's flags ask for; the refusals runc makes (kernel memory, RDT without resctrl). */
export function resourcesFromFlags(f: UpdateFlags): Resources {
  if (f.kernelMemory !== undefined) {
    throw new ConfigError('--kernel-memory: kernel memory limits are not supported by this kernel', undefined, 'kernel-memory');
  }
  if (f.l3CacheSchema !== undefined || f.memBwSchema !== undefined) {
    throw new ConfigError('Intel RDT (resctrl) is not supported: --l3-cache-schema and --mem-bw-schema cannot be applied', undefined, 'l3-cache-schema');
  }
  const r: Resources = {};
  const memory = (r.memory = {} as NonNullable<Resources['memory']>);
  if (f.memory !== undefined) memory.limit = parseBytes('memory', f.memory);
  if (f.memoryReservation !== undefined) memory.reservation = parseBytes('memory-reservation', f.memoryReservation);
  if (f.memorySwap !== undefined) memory.swap = parseBytes('memory-swap', f.memorySwap);
  if (f.kernelMemoryTcp !== undefined) memory.kernelTCP = parseBytes('kernel-memory-tcp', f.kernelMemoryTcp);
  const cpu = (r.cpu = {} as NonNullable<Resources['cpu']>);
  const shares = f.cpuShares ?? f.cpuShare;
  if (shares !== undefined) cpu.shares = parseInt64('cpu-share', shares, 0);
  if (f.cpuPeriod !== undefined) cpu.period = parseInt64('cpu-period', f.cpuPeriod, 0);
  if (f.cpuQuota !== undefined) cpu.quota = parseInt64('cpu-quota', f.cpuQuota);
  if (f.cpuBurst !== undefined) cpu.burst = parseInt64('cpu-burst', f.cpuBurst, 0);
  if (f.cpuRtPeriod !== undefined) cpu.realtimePeriod = parseInt64('cpu-rt-period', f.cpuRtPeriod, 0);
  if (f.cpuRtRuntime !== undefined) cpu.realtimeRuntime = parseInt64('cpu-rt-runtime', f.cpuRtRuntime);
  if (f.cpusetCpus !== undefined) cpu.cpus = f.cpusetCpus;
  if (f.cpusetMems !== undefined) cpu.mems = f.cpusetMems;
  if (f.pidsLimit !== undefined) r.pids = { limit: parseInt64('pids-limit', f.pidsLimit) };
  if (f.blkioWeight !== undefined) r.blockIO = { weight: parseInt64('blkio-weight', f.blkioWeight, 0) };
  if (Object.keys(memory).length === 0) delete r.memory;
  if (Object.keys(cpu).length === 0) delete r.cpu;
  return r;
}

type Section = keyof Resources;
const OBJECT_SECTIONS: Section[] = ['memory', 'cpu', 'blockIO', 'pids', 'network', 'rdma', 'unified'];

/** `update` merged over `current`: object sections field by field, lists (devices, hugepageLimits) replaced. */
export function mergeResources(current: Resources | undefined, update: Resources): Resources {
  const merged: Resources = structuredClone(current ?? {});
  for (const key of Object.keys(update) as Section[]) {
    const value = update[key];
    if (value === undefined || value === null) continue;
    if (OBJECT_SECTIONS.includes(key) && typeof value === 'object' && !Array.isArray(value)) {
      (merged as Record<string, unknown>)[key] = { ...((merged[key] as object) ?? {}), ...(value as object) };
    } else {
      (merged as Record<string, unknown>)[key] = value;
    }
  }
  return merged;
}

/** The sections of `merged` an update touches: what gets written. */
export function sectionsToWrite(merged: Resources, update: Resources): Resources {
  const out: Resources = {};
  for (const key of Object.keys(update) as Section[]) {
    if (update[key] !== undefined && update[key] !== null) (out as Record<string, unknown>)[key] = merged[key];
  }
  return out;
}
