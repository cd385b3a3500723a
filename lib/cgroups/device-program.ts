// Installs the device filter (lib/cgroups/device-filter.ts) on a cgroup2
// directory. Before the init enters the cgroup at create; on update the
// old program is swapped without a moment where neither (or no program)
// guards the cgroup: BPF_F_REPLACE when exactly one of ours is attached
// (atomic, Linux >= 5.6), else attach the new one first (while both are
// attached both must allow) and detach the old ones after.
import type { DeviceCgroup } from '../spec/types';
import { DEVICE_FILTER_LICENSE, deviceFilterProgram } from './device-filter';

export interface DeviceProgramOps {
  load(insns: Buffer, license: string): number;
  attach(dir: string, progFd: number, replaceFd: number): void;
  query(dir: string): number[];
  fdById(id: number): number;
  detach(dir: string, progFd: number): void;
  close(fd: number): void;
}

export function nativeDeviceOps(): DeviceProgramOps {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const n = (require('../native') as typeof import('../native')).native();
  return {
    load: (insns, license) => n.bpfLoadDeviceProgram(insns, license),
    attach: (dir, fd, replaceFd) => n.bpfAttachDevice(dir, fd, replaceFd),
    query: (dir) => n.bpfQueryDevice(dir),
    fdById: (id) => n.bpfProgFdById(id),
    detach: (dir, fd) => n.bpfDetachDevice(dir, fd),
    close: (fd) => n.close(fd),
  };
}

function withProgFd<T>(ops: DeviceProgramOps, id: number, fn: (fd: number) => T): T {
  const fd = ops.fdById(id);
  try {
    return fn(fd);
  } finally {
    ops.close(fd);
  }
}

/** Attaches the program for `rules` to `dir`, replacing the device programs attached there before. */
export function installDeviceFilter(dir: string, rules: readonly DeviceCgroup[], ops: DeviceProgramOps): void {
  const prog = ops.load(deviceFilterProgram(rules), DEVICE_FILTER_LICENSE);
  try {
    const old = ops.query(dir);
    if (old.length === 1) {
      const replaced = withProgFd(ops, old[0], (oldFd) => {
        try {
          ops.attach(dir, prog, oldFd);
          return true;
        } catch (e) {
          // Kernels before 5.6 have no BPF_F_REPLACE: EINVAL; fall back to attach-then-detach.
          if ((e as { code?: string }).code !== 'EINVAL') throw e;
          return false;
        }
      });
      if (replaced) return;
    }
    ops.attach(dir, prog, -1);
    for (const id of old) withProgFd(ops, id, (fd) => ops.detach(dir, fd));
  } finally {
    ops.close(prog);
  }
}
