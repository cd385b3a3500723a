// Picks the manager for a container's cgroups: the only place that knows
// which implementations exist. Directories recorded under the systemd
// driver name their scope: the systemd manager wraps the cgroupfs one.
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
  if (dirs.systemd) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { SystemdManager } = require('./systemd/systemd-manager') as typeof import('./systemd/systemd-manager');
    return new SystemdManager(dirs, openFsManager(dirs, d));
  }
  return openFsManager(dirs, d);
}

function openFsManager(dirs: CgroupDirs, d: ManagerDeps): CgroupManager {
  switch (layoutOfDirs(dirs)) {
    case 'v1':
      return new V1Manager(dirs, d);
    case 'v2':
      return new V2Manager(dirs, d);
    default:
      return new HybridManager(dirs, d);
  }
}
