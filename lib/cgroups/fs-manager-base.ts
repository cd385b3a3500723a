// What every cgroupfs manager does the same way whatever the layout:
// membership, signals, removal. The layout-specific parts (resources,
// freezer, stats) are the subclasses'.
import * as path from 'path';
import { RuntimeError } from '../errors';
import type { Resources } from '../spec/types';
import type { CgroupManager, ManagerDeps } from './cgroup-manager';
import type { CgroupLayoutKind } from './mountinfo';
import { allDirs, CgroupDirs } from './path';
import { cgroupPids } from './members';
import { killAll } from './kill';
import { planCgroupJoin, planCgroupRemove } from './manager';
import type { Freezer } from './freezer';
import { CgroupStats, emptyStats, readKeyed } from './stats';

const SIGKILL = 9;

export abstract class FsManagerBase implements CgroupManager {
  abstract readonly kind: CgroupLayoutKind;

  constructor(
    readonly dirs: CgroupDirs,
    protected readonly deps: ManagerDeps,
  ) {}

  abstract create(resources: Resources | undefined): void;
  abstract update(resources: Resources): void;
  /** The freezer pause/resume uses, if the host has one. */
  abstract freezer(): Freezer | undefined;
  abstract fillStats(stats: CgroupStats): void;
  abstract oomKills(): number | undefined;

  cloneIntoDir(): string | undefined {
    return this.dirs.v2?.path;
  }

  join(pid: number, opts: { includeV2?: boolean } = {}): void {
    const ops = planCgroupJoin(this.dirs, pid, opts);
    if (ops.length) this.deps.apply(ops);
  }

  async freeze(): Promise<void> {
    const freezer = this.freezer();
    if (!freezer) throw new RuntimeError('cannot pause: no freezer cgroup (v1 freezer controller or cgroup2 cgroup.freeze)');
    await freezer.freeze(this.deps);
  }

  async thaw(): Promise<void> {
    const freezer = this.freezer();
    if (!freezer) throw new RuntimeError('cannot resume: no freezer cgroup');
    await freezer.thaw(this.deps);
  }

  isFrozen(): boolean {
    return this.freezer()?.freezing(this.deps.reader) ?? false;
  }

  pids(): number[] {
    return cgroupPids(this.dirs, this.deps.reader);
  }

  async signalAll(signal: number): Promise<void> {
    await killAll(this.dirs, signal, { apply: this.deps.apply, reader: this.deps.reader, kill: this.deps.kill, sleep: this.deps.sleep });
  }

  stats(): CgroupStats {
    const stats = emptyStats();
    this.fillStats(stats);
    return stats;
  }

  v1MemoryDir(): string | undefined {
    return this.dirs.v1.find((d) => d.controllers.includes('memory'))?.path;
  }

  refuseIfPopulated(): void {
    const pids = this.pids();
    if (pids.length > 0) throw new RuntimeError(`container's cgroup is not empty: ${pids.length} process(es) found`);
    const frozen = allDirs(this.dirs).some((d) =>
      d.version === 1
        ? (this.deps.reader.read(path.join(d.path, 'freezer.state')) ?? '').trim() === 'FROZEN'
        : (this.deps.reader.read(path.join(d.path, 'cgroup.freeze')) ?? '').trim() === '1',
    );
    if (frozen) throw new RuntimeError("container's cgroup unexpectedly frozen");
  }

  async destroy(): Promise<void> {
    await this.signalAll(SIGKILL);
    this.remove();
  }

  remove(): void {
    this.deps.apply(planCgroupRemove(this.dirs, { reader: this.deps.reader }));
  }

  /** memory.events / memory.oom_control counter "oom_kill". */
  protected oomKillsIn(file: string): number | undefined {
    const v = readKeyed(this.deps.reader, file)?.oom_kill;
    return v === undefined ? undefined : Number(v);
  }
}
