// Freezing a cgroup (pause/resume) and waiting until the freeze has taken,
// without blocking the event loop: the state is polled on timers.
//   v1: freezer.state FROZEN/THAWED; it reads FREEZING until every task
//       stopped, and can stay there while a task sleeps uninterruptibly
//       (runc writes FROZEN again and, after a while, thaws and retries).
//   v2: cgroup.freeze 1/0; cgroup.events says "frozen 1" once it took.
import * as path from 'path';
import type { CgroupFsOp } from '../native';
import { RuntimeError } from '../errors';
import type { CgroupDir } from './path';
import type { CgroupReader } from './reader';

export interface FreezerDeps {
  apply: (ops: CgroupFsOp[]) => void;
  reader: CgroupReader;
  sleep: (ms: number) => Promise<void>;
}

export interface Freezer {
  /** The file written to freeze or thaw. */
  readonly control: string;
  freeze(deps: FreezerDeps): Promise<void>;
  thaw(deps: FreezerDeps): Promise<void>;
  /** The freeze has taken (every task stopped). */
  frozen(reader: CgroupReader): boolean;
  /** Asked to freeze (FROZEN or FREEZING; cgroup.freeze 1), whether or not it has taken. */
  freezing(reader: CgroupReader): boolean;
}

/** Polls: 1 ms at first, then up to 20 ms, for about `budgetMs` in all. */
async function pollUntil(done: () => boolean, sleep: (ms: number) => Promise<void>, budgetMs: number): Promise<boolean> {
  let waited = 0;
  for (let delay = 1; waited < budgetMs; delay = Math.min(delay * 2, 20)) {
    if (done()) return true;
    await sleep(delay);
    waited += delay;
  }
  return done();
}

const FREEZE_BUDGET_MS = 5000;

export function v1Freezer(dir: CgroupDir): Freezer {
  const control = path.join(dir.path, 'freezer.state');
  const state = (reader: CgroupReader): string => (reader.read(control) ?? '').trim();
  const write = (d: FreezerDeps, value: string): void => d.apply([{ op: 'write', path: control, value }]);
  return {
    control,
    frozen: (reader) => state(reader) === 'FROZEN',
    freezing: (reader) => state(reader) === 'FROZEN' || state(reader) === 'FREEZING',
    async freeze(d) {
      // Writing FROZEN again re-tries the tasks that were not stopped yet.
      for (let attempt = 0; attempt < 10; attempt++) {
        write(d, 'FROZEN');
        if (await pollUntil(() => state(d.reader) === 'FROZEN', d.sleep, FREEZE_BUDGET_MS / 10)) return;
      }
      write(d, 'THAWED');
      throw new RuntimeError(`unable to freeze: ${control} stayed ${state(d.reader) || 'unreadable'}`);
    },
    async thaw(d) {
      write(d, 'THAWED');
      await pollUntil(() => state(d.reader) !== 'FROZEN' && state(d.reader) !== 'FREEZING', d.sleep, FREEZE_BUDGET_MS);
    },
  };
}

export function v2Freezer(dir: CgroupDir): Freezer {
  const control = path.join(dir.path, 'cgroup.freeze');
  const events = path.join(dir.path, 'cgroup.events');
  const taken = (reader: CgroupReader): boolean => /^frozen 1$/m.test(reader.read(events) ?? '');
  return {
    control,
    frozen: (reader) => (reader.read(control) ?? '').trim() === '1' && taken(reader),
    freezing: (reader) => (reader.read(control) ?? '').trim() === '1',
    async freeze(d) {
      d.apply([{ op: 'write', path: control, value: '1' }]);
      if (await pollUntil(() => taken(d.reader) || d.reader.read(events) === undefined, d.sleep, FREEZE_BUDGET_MS)) return;
      d.apply([{ op: 'write', path: control, value: '0' }]);
      throw new RuntimeError(`unable to freeze: ${events} never reported "frozen 1"`);
    },
    async thaw(d) {
      d.apply([{ op: 'write', path: control, value: '0' }]);
      await pollUntil(() => !taken(d.reader), d.sleep, FREEZE_BUDGET_MS);
    },
  };
}
