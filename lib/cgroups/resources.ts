// OCI linux.resources → the files to write, per controller and version.
// The table is in write order. Every linux.resources field is translated
// for both versions or refused with its name (resourceRefusals, and the
// write's `field` when the host lacks its file).
import { ConfigError } from '../errors';
import type { Resources } from '../spec/types';
import { cpusetWrites, cpuV1, cpuV2 } from './controllers/cpu';
import { devicesV1 } from './controllers/devices';
import { memoryV1, memoryV2 } from './controllers/memory';
import { pidsWrites } from './controllers/pids';
import { unifiedWrites } from './controllers/unified';
import { blkioV1, ioV2 } from './controllers/blkio';
import { hugetlbV1, hugetlbV2, netClsV1, netPrioV1, networkV2, rdmaWrites } from './controllers/misc-resources';
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

// v1 order follows runc's subsystem list (cpuset, devices, memory, cpu,
// blkio, hugetlb, net_prio, net_cls, pids, rdma).
export const CONTROLLER_TABLE: readonly ControllerTranslation[] = [
  { controller: 'cpuset', v1: (r) => cpusetWrites(r.cpu), v2: (r) => cpusetWrites(r.cpu) },
  { controller: 'devices', v1: (r) => devicesV1(r.devices) },
  { controller: 'memory', v1: (r, ctx) => memoryV1(r.memory, ctx.currentMemoryLimit), v2: (r) => memoryV2(r.memory) },
  { controller: 'cpu', v1: (r) => cpuV1(r.cpu), v2: (r) => cpuV2(r.cpu) },
  { controller: 'blkio', v1: (r) => blkioV1(r.blockIO), v2: (r) => ioV2(r.blockIO) },
  { controller: 'hugetlb', v1: (r) => hugetlbV1(r.hugepageLimits), v2: (r) => hugetlbV2(r.hugepageLimits) },
  { controller: 'net_prio', v1: (r) => netPrioV1(r.network), v2: (r) => networkV2(r.network) },
  { controller: 'net_cls', v1: (r) => netClsV1(r.network) },
  { controller: 'pids', v1: (r) => pidsWrites(r.pids), v2: (r) => pidsWrites(r.pids) },
  { controller: 'rdma', v1: (r) => rdmaWrites(r.rdma), v2: (r) => rdmaWrites(r.rdma) },
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
