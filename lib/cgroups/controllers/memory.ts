// memory controller. The OCI `swap` is memory+swap (v1 semantics).
import { ConfigError } from '../../errors';
import type { MemoryResources } from '../../spec/types';
import { CgroupWrite, fieldRefusal, formatInt } from '../write';

const V1_LIMIT = 'memory.limit_in_bytes';
const V1_MEMSW = 'memory.memsw.limit_in_bytes';

function invalid(message: string, field: string): ConfigError {
  return new ConfigError(message, undefined, `linux.resources.memory.${field}`);
}

function checkSwapNotBelowLimit(limit: number, swap: number): void {
  if (limit > 0 && swap > 0 && swap < limit) {
    throw invalid('memory+swap limit should be >= memory limit', 'swap');
  }
}

/**
 * Settings with no file to write: kernel memory limits are gone from the
 * kernel (runc ignores them with a warning; refused here), hierarchy is
 * always on (memory.use_hierarchy cannot be turned off), and v2 has no
 * kernel TCP limit, swappiness or OOM-killer switch.
 */
function refuseUnapplicable(m: MemoryResources, version: 1 | 2): void {
  if (m.kernel) throw fieldRefusal('linux.resources.memory.kernel', 'kernel memory limits are not supported by this kernel');
  if (m.kernelTCP && version === 2) {
    throw fieldRefusal('linux.resources.memory.kernelTCP', 'kernel TCP memory limits do not exist on cgroup v2');
  }
  if (m.useHierarchy === false) {
    throw fieldRefusal('linux.resources.memory.useHierarchy', 'memory hierarchy accounting cannot be disabled on this kernel');
  }
  if (version === 1) return;
  // No memory.swappiness or memory.oom_control on v2: refused with crun's
  // phrases (runc drops both without a word).
  if (m.swappiness !== undefined && m.swappiness !== null) {
    throw fieldRefusal('linux.resources.memory.swappiness', 'cannot set memory swappiness with cgroup v2');
  }
  if (m.disableOOMKiller) throw fieldRefusal('linux.resources.memory.disableOOMKiller', 'cannot disable the OOM killer with cgroup v2');
}

/**
 * v1. The kernel keeps memsw >= limit at every moment, so the write order
 * depends on the direction (runc setMemoryAndSwap): when memsw is raised
 * (to -1, or above the current limit) memsw goes first, otherwise (lowering)
 * the limit goes first. On a fresh cgroup the current limit is "unlimited",
 * so a finite swap is written after the limit.
 */
export function memoryV1(m: MemoryResources | undefined, currentLimit = Infinity): CgroupWrite[] {
  if (!m) return [];
  refuseUnapplicable(m, 1);
  const writes: CgroupWrite[] = [];
  const limit = m.limit ?? 0;
  let swap = m.swap ?? 0;
  let swapOptional = false;
  // Unlimited memory without an explicit swap means unlimited swap too,
  // written only where swap accounting exists.
  if (limit === -1 && swap === 0) {
    swap = -1;
    swapOptional = true;
  }
  checkSwapNotBelowLimit(limit, swap);
  const limitWrite: CgroupWrite[] = limit !== 0 ? [{ file: V1_LIMIT, value: formatInt(limit) }] : [];
  const swapWrite: CgroupWrite[] =
    swap !== 0 ? [{ file: V1_MEMSW, value: formatInt(swap), ...(swapOptional ? { optional: true } : {}) }] : [];
  const swapFirst = limit !== 0 && swap !== 0 && (swap === -1 || currentLimit < swap);
  writes.push(...(swapFirst ? [...swapWrite, ...limitWrite] : [...limitWrite, ...swapWrite]));
  if (m.reservation) writes.push({ file: 'memory.soft_limit_in_bytes', value: formatInt(m.reservation) });
  if (m.swappiness !== undefined && m.swappiness !== null) {
    if (m.swappiness < 0 || m.swappiness > 100) {
      throw invalid(`invalid memory swappiness ${m.swappiness}: valid range is 0-100`, 'swappiness');
    }
    writes.push({ file: 'memory.swappiness', value: String(m.swappiness) });
  }
  if (m.disableOOMKiller) writes.push({ file: 'memory.oom_control', value: '1' });
  if (m.kernelTCP) {
    writes.push({ file: 'memory.kmem.tcp.limit_in_bytes', value: formatInt(m.kernelTCP), field: 'linux.resources.memory.kernelTCP' });
  }
  return writes;
}

/** runc's numToStr: 0 = unset, -1 = "max". */
function v2Value(n: number): string | undefined {
  if (n === 0) return undefined;
  return n === -1 ? 'max' : formatInt(n);
}

/**
 * cgroup v2 keeps swap separately, so runc converts: swap.max = swap - limit
 * (ConvertMemorySwapToCgroupV2Value), with -1 and 0 passed through and an
 * unlimited memory without swap meaning unlimited swap.
 */
export function memorySwapToV2(swap: number, limit: number): number {
  if (limit === -1 && swap === 0) return -1;
  if (swap === -1 || swap === 0) return swap;
  if (limit === 0 || limit === -1) throw invalid('unable to set swap limit without memory limit', 'swap');
  if (limit < 0) throw invalid(`invalid memory value: ${limit}`, 'limit');
  checkSwapNotBelowLimit(limit, swap);
  return swap - limit;
}

/** v2: swap first, then memory.max, then memory.low (runc fs2 setMemory). */
export function memoryV2(m: MemoryResources | undefined): CgroupWrite[] {
  if (!m) return [];
  refuseUnapplicable(m, 2);
  const limit = m.limit ?? 0;
  const swapSpec = m.swap ?? 0;
  const writes: CgroupWrite[] = [];
  const swap = memorySwapToV2(swapSpec, limit);
  // memory == swap in the spec: swap disabled, an explicit "0".
  const swapValue = v2Value(swap) ?? (swapSpec > 0 ? '0' : undefined);
  if (swapValue !== undefined) {
    const optional = swapValue === 'max' || swapValue === '0';
    writes.push({ file: 'memory.swap.max', value: swapValue, ...(optional ? { optional: true } : {}) });
  }
  const max = v2Value(limit);
  if (max !== undefined) writes.push({ file: 'memory.max', value: max });
  const low = v2Value(m.reservation ?? 0);
  if (low !== undefined) writes.push({ file: 'memory.low', value: low });
  return writes;
}
