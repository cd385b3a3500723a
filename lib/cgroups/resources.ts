// OCI linux.resources → the files to write, per controller and version.
// The table is in write order; a controller without a v1 or v2 translation
// yet simply has no entry for that version (see unsupportedResources).
import { ConfigError } from '../errors';
import type { Resources } from '../spec/types';
import { cpusetWrites, cpuV1, cpuV2 } from './controllers/cpu';
import { devicesV1 } from './controllers/devices';
import { memoryV1, memoryV2 } from './controllers/memory';
import { pidsWrites } from './controllers/pids';
import { unifiedWrites } from './controllers/unified';
import { CgroupWrite } from './write';

export { CgroupWrite } from './write';

export interface ResourceContext {
  /** v1 memory.limit_in_bytes now in force (update ordering); fresh cgroup: unlimited. */
  currentMemoryLimit?: number;
}

export interface ControllerTranslation {
  /** v1 hierarchy / v2 controller name. */
  controller: string;
  v1?: (r: Resources, ctx: ResourceContext) => CgroupWrite[];
  v2?: (r: Resources) => CgroupWrite[];
}

// v1 order follows runc's subsystem list (cpuset, devices, memory, cpu, pids);
// blkio/io, hugetlb, rdma and net_cls/net_prio slot in here when written.
export const CONTROLLER_TABLE: readonly ControllerTranslation[] = [
  { controller: 'cpuset', v1: (r) => cpusetWrites(r.cpu), v2: (r) => cpusetWrites(r.cpu) },
  { controller: 'devices', v1: (r) => devicesV1(r.devices) },
  { controller: 'memory', v1: (r, ctx) => memoryV1(r.memory, ctx.currentMemoryLimit), v2: (r) => memoryV2(r.memory) },
  { controller: 'cpu', v1: (r) => cpuV1(r.cpu), v2: (r) => cpuV2(r.cpu) },
  { controller: 'pids', v1: (r) => pidsWrites(r.pids), v2: (r) => pidsWrites(r.pids) },
];

/** controller → its writes, in table order; controllers with nothing to write are absent. */
export function v1ResourceWrites(r: Resources | undefined, ctx: ResourceContext = {}): Map<string, CgroupWrite[]> {
  const out = new Map<string, CgroupWrite[]>();
  if (!r) return out;
  if (r.unified && Object.keys(r.unified).length > 0) {
    throw new ConfigError('invalid configuration: cannot use unified on cgroup v1', undefined, 'linux.resources.unified');
  }
  for (const t of CONTROLLER_TABLE) {
    const writes = t.v1 ? t.v1(r, ctx) : [];
    if (writes.length > 0) out.set(t.controller, writes);
  }
  return out;
}

/** All writes for the one v2 directory, unified entries last. */
export function v2ResourceWrites(r: Resources | undefined): CgroupWrite[] {
  if (!r) return [];
  const writes: CgroupWrite[] = [];
  for (const t of CONTROLLER_TABLE) if (t.v2) writes.push(...t.v2(r));
  writes.push(...unifiedWrites(r.unified));
  return writes;
}

function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

/**
 * Resource sections present in the config that this runtime does not
 * translate yet for the given version: the caller decides to warn or refuse.
 */
export function unsupportedResources(r: Resources | undefined, version: 1 | 2): string[] {
  if (!r) return [];
  const missing = ['blockIO', 'hugepageLimits', 'network', 'rdma'].filter((k) => isSet(r[k as keyof Resources]));
  if (version === 2 && isSet(r.devices)) missing.unshift('devices');
  return missing;
}
