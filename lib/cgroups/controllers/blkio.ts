// blockIO: the v1 blkio controller and the v2 io controller, as runc writes
// them (fs/blkio.go, fs2/io.go). Every write names its field: a file the
// host lacks (blkio.weight without CFQ or BFQ) refuses the create.
import type { BlockIOResources, ThrottleDevice } from '../../spec/types';
import { CgroupWrite, fieldRefusal, formatInt } from '../write';

const F = 'linux.resources.blockIO';
const dev = (d: { major: number; minor: number }): string => `${d.major}:${d.minor}`;

const THROTTLES = [
  ['throttleReadBpsDevice', 'read_bps_device', 'rbps'],
  ['throttleWriteBpsDevice', 'write_bps_device', 'wbps'],
  ['throttleReadIOPSDevice', 'read_iops_device', 'riops'],
  ['throttleWriteIOPSDevice', 'write_iops_device', 'wiops'],
] as const;

function throttles(b: BlockIOResources, key: (typeof THROTTLES)[number][0]): ThrottleDevice[] {
  return b[key] ?? [];
}

export function blkioV1(b: BlockIOResources | undefined): CgroupWrite[] {
  if (!b) return [];
  const writes: CgroupWrite[] = [];
  if (b.weight) {
    const value = String(b.weight);
    writes.push({ file: 'blkio.weight', value, field: `${F}.weight`, fallback: { file: 'blkio.bfq.weight', value } });
  }
  if (b.leafWeight) writes.push({ file: 'blkio.leaf_weight', value: String(b.leafWeight), field: `${F}.leafWeight` });
  (b.weightDevice ?? []).forEach((d, i) => {
    if (d.weight) {
      const value = `${dev(d)} ${d.weight}`;
      writes.push({ file: 'blkio.weight_device', value, field: `${F}.weightDevice[${i}]`, fallback: { file: 'blkio.bfq.weight_device', value } });
    }
    if (d.leafWeight) {
      writes.push({ file: 'blkio.leaf_weight_device', value: `${dev(d)} ${d.leafWeight}`, field: `${F}.weightDevice[${i}].leafWeight` });
    }
  });
  for (const [key, file] of THROTTLES) {
    throttles(b, key).forEach((d, i) => {
      writes.push({ file: `blkio.throttle.${file}`, value: `${dev(d)} ${formatInt(d.rate ?? 0)}`, field: `${F}.${key}[${i}]` });
    });
  }
  return writes;
}

/** blkio weight [10, 1000] → io.weight [1, 10000] (runc's ConvertBlkIOToIOWeightValue). */
export function blkioWeightToIoWeight(weight: number): number {
  return 1 + Math.floor(((weight - 10) * 9999) / 990);
}

export function ioV2(b: BlockIOResources | undefined): CgroupWrite[] {
  if (!b) return [];
  if (b.leafWeight) throw fieldRefusal(`${F}.leafWeight`, 'leaf weights do not exist on cgroup v2');
  const writes: CgroupWrite[] = [];
  if (b.weight) {
    writes.push({
      file: 'io.bfq.weight', value: String(b.weight), field: `${F}.weight`,
      fallback: { file: 'io.weight', value: String(blkioWeightToIoWeight(b.weight)) },
    });
  }
  (b.weightDevice ?? []).forEach((d, i) => {
    if (d.leafWeight) throw fieldRefusal(`${F}.weightDevice[${i}].leafWeight`, 'leaf weights do not exist on cgroup v2');
    if (d.weight) writes.push({ file: 'io.bfq.weight', value: `${dev(d)} ${d.weight}`, field: `${F}.weightDevice[${i}]` });
  });
  for (const [key, , v2key] of THROTTLES) {
    throttles(b, key).forEach((d, i) => {
      writes.push({ file: 'io.max', value: `${dev(d)} ${v2key}=${formatInt(d.rate ?? 0)}`, field: `${F}.${key}[${i}]` });
    });
  }
  return writes;
}
