// The systemd cgroup driver: the container's cgroup is a transient scope
// that systemd makes (StartTransientUnit with the init's pid, Delegate=yes)
// and owns, with the resources as unit properties so a daemon-reload keeps
// them. Everything else (the files systemd has no property for, the device
// program, pause, ps, stats, kill --all) is the cgroupfs manager's, on the
// scope's directories: runc's systemd drivers work the same way.
import type { Resources } from '../../spec/types';
import type { CgroupManager } from '../cgroup-manager';
import type { CgroupDirs } from '../path';
import { annotationProperties } from './annotation-properties';
import { connectSystemd, SystemdConnection } from './dbus-client';
import { PropertyContext, v1ResourceProperties, v2ResourceProperties } from './resource-properties';
import { bool, str, UnitProperty } from './unit-property';

const SIGKILL = 9;
/** Every property is known to the newest systemd: what create checks before anything exists. */
export const ANY_VERSION = Number.MAX_SAFE_INTEGER;

export interface ScopeSpec {
  /** The container's id, in the unit's Description. */
  id: string;
  resources?: Resources;
  annotations?: Record<string, string>;
}

export class SystemdManager implements CgroupManager {
  readonly dirs: CgroupDirs;
  private readonly unit: { unit: string; slice: string };

  constructor(
    dirs: CgroupDirs,
    private readonly fs: CgroupManager,
    private readonly connect: () => Promise<SystemdConnection> = connectSystemd,
  ) {
    if (!dirs.systemd) throw new Error('SystemdManager: the directories name no unit');
    this.dirs = dirs;
    this.unit = dirs.systemd;
  }

  get kind() {
    return this.fs.kind;
  }

  /** The properties for the resources, as runc maps them for this host's cgroup version. */
  resourceProperties(resources: Resources | undefined, ctx: PropertyContext): UnitProperty[] {
    if (!resources) return [];
    return this.kind === 'v2' ? v2ResourceProperties(resources, ctx) : v1ResourceProperties(resources, ctx);
  }

  /** Everything StartTransientUnit gets; throws (naming the field) what cannot be said to systemd. */
  scopeProperties(pid: number, spec: ScopeSpec, ctx: PropertyContext): UnitProperty[] {
    const v2 = this.kind === 'v2';
    return [
      str('Description', `ts-oci container ${spec.id}`),
      str('Slice', this.unit.slice),
      { name: 'PIDs', signature: 'au', value: [pid] },
      bool('Delegate', true),
      // Accounting on for every controller, as runc: the kernel handles joining the memory controller later badly.
      bool('MemoryAccounting', true),
      bool('CPUAccounting', true),
      bool(v2 ? 'IOAccounting' : 'BlockIOAccounting', true),
      bool('TasksAccounting', true),
      bool('DefaultDependencies', false),
      ...this.resourceProperties(spec.resources, ctx),
      // Last: an annotation overrides what the runtime chose (systemd applies them in order).
      ...annotationProperties(spec.annotations),
    ];
  }

  /** The scope with the init in it, then the cgroupfs writes (and the device program) on its directories. */
  async start(pid: number, spec: ScopeSpec): Promise<void> {
    const conn = await this.connect();
    try {
      const systemdVersion = await conn.version();
      await conn.startTransientUnit(this.unit.unit, this.scopeProperties(pid, spec, { systemdVersion }));
    } finally {
      conn.close();
    }
    this.fs.create(spec.resources);
  }

  /** Checks what create would send, before anything exists. */
  create(resources: Resources | undefined): void {
    this.resourceProperties(resources, { systemdVersion: ANY_VERSION });
  }

  async update(resources: Resources): Promise<void> {
    const conn = await this.connect();
    try {
      const systemdVersion = await conn.version();
      await conn.setUnitProperties(this.unit.unit, this.resourceProperties(resources, { systemdVersion }));
    } finally {
      conn.close();
    }
    await this.fs.update(resources);
  }

  /** The scope's cgroup does not exist before StartTransientUnit; after it, exec clones into it. */
  cloneIntoDir(): string | undefined {
    return this.fs.cloneIntoDir();
  }

  join(pid: number, opts?: { includeV2?: boolean }): void {
    this.fs.join(pid, opts);
  }

  freeze(): Promise<void> {
    return this.fs.freeze();
  }

  thaw(): Promise<void> {
    return this.fs.thaw();
  }

  isFrozen(): boolean {
    return this.fs.isFrozen();
  }

  pids(): number[] {
    return this.fs.pids();
  }

  signalAll(signal: number): Promise<void> {
    return this.fs.signalAll(signal);
  }

  stats() {
    return this.fs.stats();
  }

  oomKills(): number | undefined {
    return this.fs.oomKills();
  }

  v1MemoryDir(): string | undefined {
    return this.fs.v1MemoryDir();
  }

  refuseIfPopulated(): void {
    this.fs.refuseIfPopulated();
  }

  /** Kills what is left, stops the unit and resets it if it failed (runc), then removes the directories systemd did not make. */
  async destroy(): Promise<void> {
    await this.fs.signalAll(SIGKILL);
    const conn = await this.connect();
    try {
      await conn.stopUnit(this.unit.unit);
      await conn.resetFailedUnit(this.unit.unit);
    } finally {
      conn.close();
    }
    this.fs.remove();
  }

  remove(): void {
    this.fs.remove();
  }
}
