// systemd's Manager over D-Bus (org.freedesktop.systemd1), through
// dbus-next: a pure-JS D-Bus client, so no libdbus or libsystemd is linked.
// Low-level method calls with explicit signatures (no introspection: the
// Manager's XML is large and parsing it costs a create ~10 ms). Jobs are
// awaited as go-systemd does: the JobRemoved signals are collected from
// before the call, so a job that ends before the call returns is not missed.
import { RuntimeError } from '../../errors';
import type { UnitProperty } from './unit-property';

const SERVICE = 'org.freedesktop.systemd1';
const PATH = '/org/freedesktop/systemd1';
const MANAGER = 'org.freedesktop.systemd1.Manager';
export const DEFAULT_SYSTEM_BUS = 'unix:path=/run/dbus/system_bus_socket';
/** runc waits 30 s for a job. */
const JOB_TIMEOUT_MS = 30000;
const CONNECT_TIMEOUT_MS = 10000;

export interface SystemdConnection {
  /** The numeric systemd version ("252.30-1~deb12u2" → 252). */
  version(): Promise<number>;
  /** StartTransientUnit(unit, "replace"), then its job's result; a leftover unit of that name is reset and tried once more (runc). */
  startTransientUnit(unit: string, props: UnitProperty[]): Promise<void>;
  setUnitProperties(unit: string, props: UnitProperty[]): Promise<void>;
  /** StopUnit and wait; a unit that does not exist is stopped already. */
  stopUnit(unit: string): Promise<void>;
  /** ResetFailedUnit; a unit that does not exist has nothing to reset. */
  resetFailedUnit(unit: string): Promise<void>;
  close(): void;
}

/* eslint-disable @typescript-eslint/no-explicit-any */
type DBusModule = any;

interface DBusErrorLike {
  type?: string;
  text?: string;
  message?: string;
}

export function systemBusAddress(): string {
  return process.env.DBUS_SYSTEM_BUS_ADDRESS || DEFAULT_SYSTEM_BUS;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RuntimeError(`systemd: ${what}: timed out after ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export function systemdVersionNumber(text: string): number {
  const m = /^["v]*(\d+)/.exec(text);
  return m ? Number(m[1]) : -1;
}

const dbusName = (e: unknown): string | undefined => (e as { dbusName?: string }).dbusName;

class DBusSystemdConnection implements SystemdConnection {
  private readonly jobs = new Map<string, string>();
  private readonly waiters = new Map<string, (result: string) => void>();

  constructor(
    private readonly dbus: DBusModule,
    private readonly bus: any,
  ) {
    bus.on('message', (msg: any) => {
      if (msg.type !== dbus.MessageType.SIGNAL || msg.interface !== MANAGER || msg.member !== 'JobRemoved') return;
      const [, job, , result] = msg.body as [number, string, string, string];
      const waiter = this.waiters.get(job);
      if (waiter) waiter(result);
      else this.jobs.set(job, result);
    });
  }

  async subscribe(): Promise<void> {
    const rule = `type='signal',sender='${SERVICE}',path='${PATH}',interface='${MANAGER}',member='JobRemoved'`;
    await this.call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus', 'AddMatch', 's', [rule]);
    // systemd sends job signals only while some client has subscribed.
    await this.manager('Subscribe', '', []);
  }

  private async call(dest: string, path: string, iface: string, member: string, signature: string, body: unknown[], what = member): Promise<unknown[]> {
    const msg = new this.dbus.Message({ destination: dest, path, interface: iface, member, signature, body });
    try {
      const reply = await withTimeout(this.bus.call(msg) as Promise<{ body: unknown[] }>, JOB_TIMEOUT_MS, what);
      return reply.body;
    } catch (e) {
      if (e instanceof RuntimeError) throw e;
      const err = e as DBusErrorLike;
      const error = new RuntimeError(`systemd: ${what}: ${err.type ? `${err.type}: ` : ''}${err.text ?? err.message ?? String(e)}`);
      (error as RuntimeError & { dbusName?: string }).dbusName = err.type;
      throw error;
    }
  }

  private manager(member: string, signature: string, body: unknown[], what?: string): Promise<unknown[]> {
    return this.call(SERVICE, PATH, MANAGER, member, signature, body, what);
  }

  private variants(props: UnitProperty[]): [string, unknown][] {
    return props.map((p) => [p.name, new this.dbus.Variant(p.signature, Buffer.isBuffer(p.value) ? [...p.value] : p.value)]);
  }

  private waitJob(job: string, what: string): Promise<string> {
    const done = this.jobs.get(job);
    if (done !== undefined) return Promise.resolve(done);
    const result = new Promise<string>((resolve) => this.waiters.set(job, resolve));
    return withTimeout(result, JOB_TIMEOUT_MS, `waiting for the job of ${what}`).finally(() => this.waiters.delete(job));
  }

  async version(): Promise<number> {
    const [v] = (await this.call(SERVICE, PATH, 'org.freedesktop.DBus.Properties', 'Get', 'ss', [MANAGER, 'Version'], 'Version')) as [{ value: unknown }];
    return systemdVersionNumber(String(v?.value ?? ''));
  }

  async startTransientUnit(unit: string, props: UnitProperty[]): Promise<void> {
    const what = `StartTransientUnit ${unit}`;
    let job: string;
    try {
      [job] = (await this.manager('StartTransientUnit', 'ssa(sv)a(sa(sv))', [unit, 'replace', this.variants(props), []], what)) as [string];
    } catch (e) {
      if (dbusName(e) !== 'org.freedesktop.systemd1.UnitExists') throw e;
      // A failed unit of that name is kept until reset: reset it and try once more, as runc does.
      await this.resetFailedUnit(unit).catch(() => undefined);
      [job] = (await this.manager('StartTransientUnit', 'ssa(sv)a(sa(sv))', [unit, 'replace', this.variants(props), []], what)) as [string];
    }
    const result = await this.waitJob(job, unit);
    if (result !== 'done') {
      await this.resetFailedUnit(unit).catch(() => undefined);
      throw new RuntimeError(`systemd: error creating unit ${unit}: job ${result}`);
    }
  }

  async setUnitProperties(unit: string, props: UnitProperty[]): Promise<void> {
    if (props.length) await this.manager('SetUnitProperties', 'sba(sv)', [unit, true, this.variants(props)], `SetUnitProperties ${unit}`);
  }

  async stopUnit(unit: string): Promise<void> {
    let job: string;
    try {
      [job] = (await this.manager('StopUnit', 'ss', [unit, 'replace'], `StopUnit ${unit}`)) as [string];
    } catch (e) {
      if (dbusName(e) === 'org.freedesktop.systemd1.NoSuchUnit') return;
      throw e;
    }
    // runc goes on whatever the job's result (a scope whose processes are gone may end "failed"); reset-failed follows.
    await this.waitJob(job, unit);
  }

  async resetFailedUnit(unit: string): Promise<void> {
    try {
      await this.manager('ResetFailedUnit', 's', [unit], `ResetFailedUnit ${unit}`);
    } catch (e) {
      if (dbusName(e) !== 'org.freedesktop.systemd1.NoSuchUnit') throw e;
    }
  }

  close(): void {
    this.bus.disconnect();
  }
}

/** Connects to the system bus (DBUS_SYSTEM_BUS_ADDRESS, else /run/dbus/system_bus_socket) and subscribes to job signals. */
export async function connectSystemd(address = systemBusAddress()): Promise<SystemdConnection> {
  // Loaded only here: the cgroupfs driver never pays for it.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const dbus = require('dbus-next') as DBusModule;
  const bus = dbus.sessionBus({ busAddress: address });
  const failed = (e: unknown): RuntimeError =>
    new RuntimeError(`systemd: cannot connect to the system bus at ${address}: ${(e as { code?: string }).code ?? (e as Error).message}`);
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        bus.once('connect', resolve);
        bus.once('error', reject);
      }),
      CONNECT_TIMEOUT_MS,
      `connecting to ${address}`,
    );
  } catch (e) {
    bus.disconnect();
    throw e instanceof RuntimeError ? e : failed(e);
  }
  // Later stream errors fail the pending call by its timeout; without a listener they would crash the process.
  bus.on('error', () => undefined);
  const conn = new DBusSystemdConnection(dbus, bus);
  try {
    await conn.subscribe();
  } catch (e) {
    conn.close();
    throw e;
  }
  return conn;
}
