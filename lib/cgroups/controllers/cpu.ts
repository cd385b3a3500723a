// cpu and cpuset controllers.
import { ConfigError } from '../../errors';
import type { CPUResources } from '../../spec/types';
import { CgroupWrite, formatInt } from '../write';

const F = 'linux.resources.cpu';

const retried = (w: CgroupWrite, partnerFollows: boolean): CgroupWrite => (partnerFollows ? { ...w, retryAfterNext: true } : w);

/**
 * v1 cpu. Real-time period before runtime (the kernel checks runtime against
 * the period), and cfs period before quota (runc's order; a fresh cgroup has
 * quota -1 so any period is accepted). On update a new period can be invalid
 * against the current runtime or quota (EINVAL): it is written again after
 * its partner, as runc's SetRtSched and cfs code do.
 */
export function cpuV1(cpu: CPUResources | undefined): CgroupWrite[] {
  if (!cpu) return [];
  const writes: CgroupWrite[] = [];
  // rt files exist only with CONFIG_RT_GROUP_SCHED, burst and idle only on newer kernels: `field` refuses them by name.
  // Each period's partner is the very next write: retryAfterNext retries after it.
  if (cpu.realtimePeriod) writes.push(retried({ file: 'cpu.rt_period_us', value: formatInt(cpu.realtimePeriod), field: `${F}.realtimePeriod` }, !!cpu.realtimeRuntime));
  if (cpu.realtimeRuntime) writes.push({ file: 'cpu.rt_runtime_us', value: formatInt(cpu.realtimeRuntime), field: `${F}.realtimeRuntime` });
  if (cpu.shares) writes.push({ file: 'cpu.shares', value: formatInt(cpu.shares) });
  if (cpu.period) writes.push(retried({ file: 'cpu.cfs_period_us', value: formatInt(cpu.period) }, !!cpu.quota));
  if (cpu.quota) writes.push({ file: 'cpu.cfs_quota_us', value: formatInt(cpu.quota) });
  if (cpu.burst !== undefined && cpu.burst !== null) writes.push({ file: 'cpu.cfs_burst_us', value: formatInt(cpu.burst), field: `${F}.burst` });
  if (cpu.idle !== undefined && cpu.idle !== null) writes.push({ file: 'cpu.idle', value: formatInt(cpu.idle), field: `${F}.idle` });
  return writes;
}

/**
 * shares [2, 262144] → weight [1, 10000]. The quadratic fit on log2(shares)
 * used by runc >= 1.3 and crun >= 1.23 (opencontainers/cgroups), which maps
 * the default 1024 to the default weight 100 (the old linear formula gave 39).
 */
export function cpuSharesToWeight(shares: number): number {
  if (shares === 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  const l = Math.log2(shares);
  const exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  return Math.ceil(Math.pow(10, exponent));
}

/** v2 cpu: idle, weight, then cpu.max "<quota|max> [period]", then burst (bounded by quota). */
export function cpuV2(cpu: CPUResources | undefined): CgroupWrite[] {
  if (!cpu) return [];
  if (cpu.realtimePeriod || cpu.realtimeRuntime) {
    throw new ConfigError('realtime cpu scheduling is not supported on cgroup v2', undefined, 'linux.resources.cpu');
  }
  const writes: CgroupWrite[] = [];
  if (cpu.idle !== undefined && cpu.idle !== null) writes.push({ file: 'cpu.idle', value: formatInt(cpu.idle), field: `${F}.idle` });
  if (cpu.shares) writes.push({ file: 'cpu.weight', value: String(cpuSharesToWeight(cpu.shares)) });
  if (cpu.quota || cpu.period) {
    let max = cpu.quota && cpu.quota > 0 ? formatInt(cpu.quota) : 'max';
    if (cpu.period) max += ` ${formatInt(cpu.period)}`;
    writes.push({ file: 'cpu.max', value: max });
  }
  if (cpu.burst !== undefined && cpu.burst !== null) writes.push({ file: 'cpu.max.burst', value: formatInt(cpu.burst), field: `${F}.burst` });
  return writes;
}

/** cpuset, same files on v1 and v2; cpus before mems as runc writes them. */
export function cpusetWrites(cpu: CPUResources | undefined): CgroupWrite[] {
  if (!cpu) return [];
  const writes: CgroupWrite[] = [];
  if (cpu.cpus) writes.push({ file: 'cpuset.cpus', value: cpu.cpus });
  if (cpu.mems) writes.push({ file: 'cpuset.mems', value: cpu.mems });
  return writes;
}
