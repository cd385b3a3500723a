// The status a command acts on is always read live from /proc, never
// trusted from state.json alone (the process may have exited since).
import * as path from 'path';
import { ContainerRecord } from '../state/record';
import { liveStatus } from '../state/status';

export type Status = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export function currentStatus(record: ContainerRecord, dir: string): Status {
  return liveStatus(record, path.join(dir, 'exec.fifo'));
}
