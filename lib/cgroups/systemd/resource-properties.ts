// linux.resources → the scope's unit properties, as runc's systemd
// drivers map them (v1.go genV1ResourcesProperties, v2.go
// genV2ResourcesProperties and unifiedResToSystemdProps). systemd then
// owns those values (it re-applies them on daemon-reload); everything is
// also written to the scope's cgroup files afterwards (what systemd has no
// property for: swappiness, throttles, hugetlb, cpu.idle, burst...).
import { ConfigError } from '../../errors';
import type { Resources } from '../../spec/types';
import { cpuSharesToWeight } from '../controllers/cpu';
import { blkioWeightToIoWeight } from '../controllers/blkio';
import { memorySwapToV2 } from '../controllers/memory';
import { cpuQuotaProperties, CPUSET_SINCE, rangeToBits } from './cpu-properties';
import { deviceProperties } from './device-properties';
import { u64, UINT64_MAX, UnitProperty } from './unit-property';

export interface PropertyContext {
  /** systemd's version (the Manager's Version property); some properties are newer. */
  systemdVersion: number;
  /** /proc/devices, for wildcard-minor device rules (injectable for tests). */
  procDevices?: () => string;
}

const F = 'linux.resources';

function cpusetProperties(cpus: string | undefined, mems: string | undefined, version: number, field: string): UnitProperty[] {
  if (version < CPUSET_SINCE) return [];
  const props: UnitProperty[] = [];
  if (cpus) props.push({ name: 'AllowedCPUs', signature: 'ay', value: rangeToBits(cpus, `${field}.cpus`) });
  if (mems) props.push({ name: 'AllowedMemoryNodes', signature: 'ay', value: rangeToBits(mems, `${field}.mems`) });
  return props;
}

const tasksMax = (limit: number | undefined): UnitProperty[] =>
  limit !== undefined && (limit > 0 || limit === -1) ? [u64('TasksMax', limit === -1 ? UINT64_MAX : limit)] : [];

/** A limit of -1 is "no limit": systemd's infinity. */
const limitValue = (n: number): bigint => (n < 0 ? UINT64_MAX : BigInt(n));

export function v1ResourceProperties(r: Resources, ctx: PropertyContext): UnitProperty[] {
  const props: UnitProperty[] = [...deviceProperties(r.devices, ctx.procDevices)];
  if (r.memory?.limit) props.push(u64('MemoryLimit', limitValue(r.memory.limit)));
  if (r.cpu?.shares) props.push(u64('CPUShares', r.cpu.shares));
  props.push(...cpuQuotaProperties(r.cpu?.quota ?? 0, r.cpu?.period ?? 0, ctx.systemdVersion));
  if (r.blockIO?.weight) props.push(u64('BlockIOWeight', r.blockIO.weight));
  props.push(...tasksMax(r.pids?.limit));
  props.push(...cpusetProperties(r.cpu?.cpus, r.cpu?.mems, ctx.systemdVersion, `${F}.cpu`));
  return props;
}

export function v2ResourceProperties(r: Resources, ctx: PropertyContext): UnitProperty[] {
  const props: UnitProperty[] = [...deviceProperties(r.devices, ctx.procDevices)];
  const m = r.memory;
  if (m?.limit) props.push(u64('MemoryMax', limitValue(m.limit)));
  if (m?.reservation) props.push(u64('MemoryLow', limitValue(m.reservation)));
  if (m) {
    const swap = memorySwapToV2(m.swap ?? 0, m.limit ?? 0);
    if (swap !== 0) props.push(u64('MemorySwapMax', limitValue(swap)));
  }
  if (r.cpu?.shares) props.push(u64('CPUWeight', cpuSharesToWeight(r.cpu.shares)));
  props.push(...cpuQuotaProperties(r.cpu?.quota ?? 0, r.cpu?.period ?? 0, ctx.systemdVersion));
  if (r.blockIO?.weight) props.push(u64('IOWeight', blkioWeightToIoWeight(r.blockIO.weight)));
  props.push(...tasksMax(r.pids?.limit));
  props.push(...cpusetProperties(r.cpu?.cpus, r.cpu?.mems, ctx.systemdVersion, `${F}.cpu`));
  if (r.unified) props.push(...unifiedProperties(r.unified, ctx));
  return props;
}

const MEMORY_FILES: Record<string, string> = {
  'memory.high': 'MemoryHigh',
  'memory.low': 'MemoryLow',
  'memory.min': 'MemoryMin',
  'memory.max': 'MemoryMax',
  'memory.swap.max': 'MemorySwapMax',
};

function parseU64(v: string, key: string): bigint {
  if (v === 'max') return UINT64_MAX;
  if (!/^\d+$/.test(v) || BigInt(v) > UINT64_MAX) throw new ConfigError(`unified resource ${JSON.stringify(key)} value conversion error: ${JSON.stringify(v)}`, undefined, `${F}.unified.${key}`);
  return BigInt(v);
}

/** The unified keys systemd has a property for; the others are only written to the files. */
export function unifiedProperties(unified: Record<string, string>, ctx: PropertyContext): UnitProperty[] {
  const props: UnitProperty[] = [];
  for (const [k, raw] of Object.entries(unified)) {
    const v = raw.trim();
    const field = `${F}.unified.${k}`;
    if (MEMORY_FILES[k]) props.push(u64(MEMORY_FILES[k], parseU64(v, k)));
    else if (k === 'pids.max') props.push(u64('TasksMax', parseU64(v, k)));
    else if (k === 'cpu.weight') props.push(u64('CPUWeight', parseU64(v, k)));
    else if (k === 'cpuset.cpus') props.push(...cpusetProperties(v, undefined, ctx.systemdVersion, field));
    else if (k === 'cpuset.mems') props.push(...cpusetProperties(undefined, v, ctx.systemdVersion, field));
    else if (k === 'cpu.max') {
      const parts = v.split(/\s+/);
      if (parts.length < 1 || parts.length > 2) throw new ConfigError(`unified resource "cpu.max" value invalid: ${JSON.stringify(v)}`, undefined, field);
      const quota = parts[0] === 'max' ? 0 : Number(parseU64(parts[0], k));
      const period = parts.length === 2 ? Number(parseU64(parts[1], k)) : 100000;
      props.push(...cpuQuotaProperties(quota, period, ctx.systemdVersion));
    }
  }
  return props;
}
