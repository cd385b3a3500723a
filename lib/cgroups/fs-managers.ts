// The three cgroupfs managers. V1Manager writes each controller's files in
// its own hierarchy; V2Manager writes the one cgroup2 directory (enabling
// controllers in the parents first); HybridManager composes them: the
// resources and the freezer are v1's, the cgroup2 directory (which has no
// controllers) only tracks the processes, kills them with cgroup.kill, and
// carries the device program.
import * as path from 'path';
import type { Resources } from '../spec/types';
import type { ManagerDeps } from './cgroup-manager';
import { FsManagerBase } from './fs-manager-base';
import { Freezer, v1Freezer, v2Freezer } from './freezer';
import { createCgroups, planCgroupPrepare, planResourceWrites } from './manager';
import type { CgroupLayout, CgroupLayoutKind } from './mountinfo';
import type { CgroupDirs } from './path';
import * as stats from './stats';
import { installDeviceFilter } from './device-program';

function layoutOf(kind: CgroupLayoutKind): CgroupLayout {
  // The planners only look at the kind; the mounts are in the directories.
  return { kind, v1: new Map(), hierarchies: [] };
}

/** Prepare (controllers enabled, cpuset levels), then the writes, each batch planned on what the previous left. */
function updateInPlace(layout: CgroupLayout, dirs: CgroupDirs, resources: Resources, deps: ManagerDeps): void {
  for (const plan of [planCgroupPrepare, planResourceWrites]) {
    const ops = plan(layout, dirs, resources, { reader: deps.reader });
    if (ops.length) deps.apply(ops);
  }
}

export class V1Manager extends FsManagerBase {
  readonly kind = 'v1' as const;

  constructor(dirs: CgroupDirs, deps: ManagerDeps) {
    super({ v1: dirs.v1 }, deps);
  }

  create(resources: Resources | undefined): void {
    createCgroups(layoutOf('v1'), this.dirs, resources, { reader: this.deps.reader, apply: this.deps.apply });
  }

  update(resources: Resources): void {
    updateInPlace(layoutOf('v1'), this.dirs, resources, this.deps);
  }

  freezer(): Freezer | undefined {
    const dir = this.dirs.v1.find((d) => d.controllers.includes('freezer'));
    return dir && this.deps.reader.exists(path.join(dir.path, 'freezer.state')) ? v1Freezer(dir) : undefined;
  }

  fillStats(s: stats.CgroupStats): void {
    const r = this.deps.reader;
    for (const dir of this.dirs.v1) {
      const has = (c: string): boolean => dir.controllers.includes(c);
      if (has('cpu') || has('cpuacct')) stats.v1CpuStats(s, dir, r);
      if (has('cpuset')) stats.cpusetStats(s, dir, r);
      if (has('memory')) stats.v1MemoryStats(s, dir, r);
      if (has('pids')) stats.pidsStats(s, dir, r);
      if (has('blkio')) stats.v1BlkioStats(s, dir, r);
      if (has('hugetlb')) stats.hugetlbStats(s, dir, r);
    }
  }

  oomKills(): number | undefined {
    const dir = this.v1MemoryDir();
    return dir ? this.oomKillsIn(path.join(dir, 'memory.oom_control')) : undefined;
  }
}

export class V2Manager extends FsManagerBase {
  readonly kind = 'v2' as const;

  constructor(dirs: CgroupDirs, deps: ManagerDeps) {
    super({ v1: [], ...(dirs.v2 ? { v2: dirs.v2 } : {}) }, deps);
  }

  create(resources: Resources | undefined): void {
    createCgroups(layoutOf('v2'), this.dirs, resources, { reader: this.deps.reader, apply: this.deps.apply });
    // Before the init is cloned into the directory: it never runs unfiltered.
    this.installDevices(resources);
  }

  update(resources: Resources): void {
    updateInPlace(layoutOf('v2'), this.dirs, resources, this.deps);
    this.installDevices(resources);
  }

  /** cgroup2 has no devices files: the rules become an eBPF program on the directory. */
  private installDevices(resources: Resources | undefined): void {
    if (!this.dirs.v2 || !resources?.devices?.length) return;
    if (!this.deps.devices) throw new Error('device rules need the bpf device program operations');
    installDeviceFilter(this.dirs.v2.path, resources.devices, this.deps.devices());
  }

  freezer(): Freezer | undefined {
    const dir = this.dirs.v2;
    return dir && this.deps.reader.exists(path.join(dir.path, 'cgroup.freeze')) ? v2Freezer(dir) : undefined;
  }

  fillStats(s: stats.CgroupStats): void {
    const dir = this.dirs.v2;
    if (!dir) return;
    const r = this.deps.reader;
    stats.v2CpuStats(s, dir, r);
    stats.cpusetStats(s, dir, r);
    stats.v2MemoryStats(s, dir, r);
    stats.pidsStats(s, dir, r);
    stats.v2IoStats(s, dir, r);
    stats.hugetlbStats(s, dir, r);
  }

  oomKills(): number | undefined {
    return this.dirs.v2 ? this.oomKillsIn(path.join(this.dirs.v2.path, 'memory.events')) : undefined;
  }
}

export class HybridManager extends FsManagerBase {
  readonly kind = 'hybrid' as const;
  private readonly v1: V1Manager;
  private readonly v2: V2Manager;

  constructor(dirs: CgroupDirs, deps: ManagerDeps) {
    super(dirs, deps);
    this.v1 = new V1Manager(dirs, deps);
    this.v2 = new V2Manager(dirs, deps);
  }

  create(resources: Resources | undefined): void {
    // unified (v2-only keys) is refused by the v1 side, as runc refuses it on hybrid hosts.
    this.v1.create(resources);
    // Defence in depth: the cgroup2 device program is checked before the v1
    // devices controller, from the same rules (both must allow).
    this.v2.create(resources?.devices ? { devices: resources.devices } : undefined);
  }

  update(resources: Resources): void {
    this.v1.update(resources);
    if (resources.devices) this.v2.update({ devices: resources.devices });
  }

  freezer(): Freezer | undefined {
    // runc freezes through v1 on hybrid hosts; cgroup2's own freezer is the fallback.
    return this.v1.freezer() ?? this.v2.freezer();
  }

  fillStats(s: stats.CgroupStats): void {
    this.v1.fillStats(s);
  }

  oomKills(): number | undefined {
    return this.v1.oomKills();
  }
}
