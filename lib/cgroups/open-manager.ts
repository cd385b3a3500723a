// Picks the manager for a container's cgroups: the only place that knows
// which implementations exist (a systemd driver would be chosen here).
import type { CgroupFsOp } from '../native';
import { CgroupManager, layoutOfDirs, ManagerDeps } from './cgroup-manager';
import { HybridManager, V1Manager, V2Manager } from './fs-managers';
import type { CgroupDirs } from './path';
import { fsCgroupReader } from './reader';
import { nativeDeviceOps } from './device-program';

function nativeApply(ops: CgroupFsOp[]): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  (require('../native') as typeof import('../native')).native().cgroupApply(ops);
}

export const defaultManagerDeps: ManagerDeps = {
  apply: nativeApply,
  reader: fsCgroupReader,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  devices: nativeDeviceOps,
};

export function openCgroupManager(dirs: CgroupDirs, deps: Partial<ManagerDeps> = {}): CgroupManager {
  const d: ManagerDeps = { ...defaultManagerDeps, ...deps };
  switch (layoutOfDirs(dirs)) {
    case 'v1':
      return new V1Manager(dirs, d);
    case 'v2':
      return new V2Manager(dirs, d);
    default:
      return new HybridManager(dirs, d);
  }
}
