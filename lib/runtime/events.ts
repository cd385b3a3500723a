// `events`: runc's event stream, one JSON object per line:
//   {"type":"stats","id":"c1","data":{...}}   every interval (and once with --stats)
//   {"type":"oom","id":"c1"}                  when the kernel OOM-killed in the cgroup
// OOMs come from the kernel's v1 eventfd (memory.oom_control through
// cgroup.event_control) or the oom_kill counter of v2 memory.events,
// read on a short timer; nothing blocks the event loop, and the stream
// ends once the container has stopped.
import { NotFoundError, StateError } from '../errors';
import { readState, stateDir } from '../state/store';
import type { CgroupStats } from '../cgroups/stats';
import { emptyStats } from '../cgroups/stats';
import { RuntimeContext } from './context';
import { currentStatus } from './status';
import { cgroupManagerOf } from './cgroup';
import { watchOom } from '../cgroups/oom-watch';

export type ContainerEvent = { type: 'stats'; id: string; data: CgroupStats } | { type: 'oom'; id: string };

export interface EventOptions {
  /** Milliseconds between stats events (runc: 5s). */
  interval?: number;
  /** How often the container's status (and the v2 OOM counter) is read (ms). */
  tick?: number;
}

function openRecord(ctx: RuntimeContext, id: string) {
  const record = readState(ctx.root, id);
  const stopped = (): boolean => {
    try {
      return currentStatus(readState(ctx.root, id), stateDir(ctx.root, id)) === 'stopped';
    } catch (e) {
      if (e instanceof NotFoundError) return true; // deleted meanwhile
      throw e;
    }
  };
  return { record, stopped, manager: cgroupManagerOf(record.cgroupDirs) };
}

/** One stats event now (`events --stats`, container.stats()). */
export function statsEvent(ctx: RuntimeContext, id: string): ContainerEvent & { type: 'stats' } {
  const { manager, stopped } = openRecord(ctx, id);
  if (stopped()) throw new StateError('container not running');
  return { type: 'stats', id, data: manager ? manager.stats() : emptyStats() };
}

/** A sleep that an event (an OOM notification) can cut short. */
function wakeableSleep(): { sleep(ms: number): Promise<void>; wake(): void } {
  let wakeUp: (() => void) | undefined;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      }),
    wake: () => wakeUp?.(),
  };
}

/** Stats every `interval`, OOM events as the kernel reports them, until the container stops. */
export async function* containerEvents(ctx: RuntimeContext, id: string, opts: EventOptions = {}): AsyncGenerator<ContainerEvent> {
  const interval = opts.interval ?? 5000;
  const tick = Math.min(opts.tick ?? 100, interval);
  const { manager, stopped } = openRecord(ctx, id);
  if (stopped()) throw new StateError('container not running');
  const nap = wakeableSleep();
  const oom = manager ? watchOom(manager, nap.wake) : undefined;
  try {
    let nextStats = Date.now();
    for (;;) {
      oom?.poll();
      for (let n = oom?.take() ?? 0; n > 0; n--) yield { type: 'oom', id };
      if (stopped()) return;
      if (Date.now() >= nextStats) {
        nextStats = Date.now() + interval;
        yield { type: 'stats', id, data: manager ? manager.stats() : emptyStats() };
      }
      await nap.sleep(Math.max(0, Math.min(tick, nextStats - Date.now())));
    }
  } finally {
    oom?.close();
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
