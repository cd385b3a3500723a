// The state JSON of runtime.md (and runc's `state` output): what `state`
// prints and what hooks read on stdin.
import { ContainerRecord } from '../state/record';

export interface OciState {
  ociVersion: string;
  id: string;
  pid: number;
  status: string;
  bundle: string;
  rootfs: string;
  created: string;
  owner: string;
  annotations?: Record<string, string>;
}

export function ociState(record: ContainerRecord, status: string): OciState {
  const state: OciState = {
    ociVersion: record.ociVersion,
    id: record.id,
    // runc reports pid 0 once the container has stopped.
    pid: status === 'stopped' ? 0 : record.pid,
    status,
    bundle: record.bundle,
    rootfs: record.rootfs,
    created: record.created,
    owner: record.owner,
  };
  if (record.annotations && Object.keys(record.annotations).length) state.annotations = record.annotations;
  return state;
}
