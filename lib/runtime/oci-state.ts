// The state JSON of runtime.md as runc prints it (`state`, `list`) and as
// hooks read it on stdin.
import type { ContainerState, ContainerStatus } from '../spec/state-types';
import { ContainerRecord } from '../state/record';

/** What `state` prints and `Container.state()` returns. */
export type OciState = ContainerState;

export function ociState(record: ContainerRecord, status: string): OciState {
  // Keys in runc's order: engines diff and log this JSON.
  const state: OciState = {
    ociVersion: record.ociVersion,
    id: record.id,
    // runc reports pid 0 once the container has stopped.
    pid: status === 'stopped' ? 0 : record.pid,
    status: status as ContainerStatus,
    bundle: record.bundle,
    rootfs: record.rootfs,
    created: record.created,
    owner: record.owner,
  };
  if (record.annotations && Object.keys(record.annotations).length) {
    const { owner, ...rest } = state;
    return { ...rest, annotations: record.annotations, owner };
  }
  return state;
}
