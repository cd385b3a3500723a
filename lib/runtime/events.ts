// `events`: runc's event stream, one JSON object per line:
//   {"type":"stats","id":"c1","data":{...}}   every interval (and once with --stats)
//   {"type":"oom","id":"c1"}                  when the kernel OOM-killed in the cgroup
// The OOM counter (memory.events oom_kill on v2, memory.oom_control
// oom_kill on v1) is read on a short timer: nothing blocks the event loop,
// and the stream ends once the container has stopped.
import { StateError } from '../errors';
import { readState, stateDir } from '../state/store';
import type { CgroupStats } from '../cgroups/stats';
import { emptyStats } from '../cgroups/stats';
import { RuntimeContext } from './context';
import { currentStatus } from './status';
import { cgroupManagerOf } from './cgroup';

export type ContainerEvent = { type: 'stats'; id: string; data: CgroupStats } | { type: 'oom'; id: string };

export interface EventOptions {
  /** Milliseconds between stats events (runc: 5s). */
  interval?: number;
  /** How often the OOM counter is read (ms). */
  oomPoll?: number;
  sleep?: (ms: number) => Promise<void>;
}

function openRecord(ctx: RuntimeContext, id: string) {
  const record = readState(ctx.root, id);
  const stopped = (): boolean => currentStatus(readState(ctx.root, id), stateDir(ctx.root, id)) === 'stopped';
  return { record, stopped, manager: cgroupManagerOf(record.cgroupDirs) };
}

/** One stats event now (`events --stats`, container.stats()). */
export function statsEvent(ctx: RuntimeContext, id: string): ContainerEvent & { type: 'stats' } {
  const { manager, stopped } = openRecord(ctx, id);
  if (stopped()) throw new StateError('container not running');
  return { type: 'stats', id, data: manager ? manager.stats() : emptyStats() };
}

/** Stats every `interval`, OOM events as they happen, until the container stops. */
export async function* containerEvents(ctx: RuntimeContext, id: string, opts: EventOptions = {}): AsyncGenerator<ContainerEvent> {
  const interval = opts.interval ?? 5000;
  const tick = Math.min(opts.oomPoll ?? 100, interval);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const { manager, stopped } = openRecord(ctx, id);
  if (stopped()) throw new StateError('container not running');
  let ooms = manager?.oomKills() ?? 0;
  let sinceStats = interval;
  for (;;) {
    const now = manager?.oomKills();
    if (now !== undefined && now > ooms) yield { type: 'oom', id };
    if (now !== undefined) ooms = now;
    if (stopped()) return;
    if (sinceStats >= interval) {
      sinceStats = 0;
      yield { type: 'stats', id, data: manager ? manager.stats() : emptyStats() };
    }
    await sleep(tick);
    sinceStats += tick;
  }
}

/** Go durations as runc takes them: "5s", "100ms", "1m30s", "1.5s". */
export function parseDuration(s: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000 };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total += Number(m[1]) * units[m[2]];
    matched = re.lastIndex;
  }
  if (!s || matched !== s.length || total <= 0) throw new StateError(`invalid --interval ${JSON.stringify(s)}: need a duration such as 5s or 500ms`);
  return total;
}
