// The cpu and cpuset properties, converted as runc converts them
// (cgroups/systemd/common.go addCpuQuota, cpuset.go RangeToBits).
import { ConfigError } from '../../errors';
import { u64, UINT64_MAX, UnitProperty } from './unit-property';

const DEFAULT_PERIOD = 100000;
/** systemd >= 242 has CPUQuotaPeriodUSec, >= 244 AllowedCPUs/AllowedMemoryNodes; older ones get the cgroupfs write only. */
export const PERIOD_SINCE = 242;
export const CPUSET_SINCE = 244;

/**
 * CPUQuotaPerSecUSec is microseconds of CPU per second; systemd keeps it
 * as a whole percentage, so a fractional one is rounded up to the next
 * 10 ms (runc: children can then still set the cfs quota they expect).
 */
export function cpuQuotaProperties(quota: number, period: number, systemdVersion: number): UnitProperty[] {
  const props: UnitProperty[] = [];
  if (period !== 0 && systemdVersion >= PERIOD_SINCE) props.push(u64('CPUQuotaPeriodUSec', period));
  if (quota !== 0 || period !== 0) {
    let perSec = UINT64_MAX;
    if (quota > 0) {
      const p = BigInt(period || DEFAULT_PERIOD);
      perSec = (BigInt(quota) * 1000000n) / p;
      if (perSec % 10000n !== 0n) perSec = (perSec / 10000n + 1n) * 10000n;
    }
    props.push(u64('CPUQuotaPerSecUSec', perSec));
  }
  return props;
}

/** "1,3-5" → the bitmask systemd takes for AllowedCPUs: byte i holds cpus 8i..8i+7, bit 0 first. */
export function rangeToBits(list: string, field: string): Buffer {
  const set: number[] = [];
  const bad = (why: string): ConfigError => new ConfigError(`${field}=${JSON.stringify(list)} conversion error: ${why}`, undefined, field);
  const num = (s: string): number => {
    if (!/^\d+$/.test(s) || Number(s) > 0xffffffff) throw bad(`invalid number ${JSON.stringify(s)}`);
    return Number(s);
  };
  for (const raw of list.split(',')) {
    const r = raw.trim();
    if (r === '') continue;
    const dash = r.indexOf('-');
    const [start, end] = dash < 0 ? [num(r), num(r)] : [num(r.slice(0, dash)), num(r.slice(dash + 1))];
    if (start > end) throw bad(`invalid range: ${r}`);
    // A bitmask is as long as its highest cpu; refuse sizes no machine has.
    if (end >= 1 << 20) throw bad(`cpu or node ${end} out of range`);
    for (let i = start; i <= end; i++) set.push(i);
  }
  if (set.length === 0) throw bad('empty value');
  const bytes = Buffer.alloc((Math.max(...set) >> 3) + 1);
  for (const i of set) bytes[i >> 3] |= 1 << (i & 7);
  return bytes;
}
