// `state` and `list`: read without locking (state.json is replaced atomically).
import { listStates, readState, stateDir } from '../state/store';
import { RuntimeContext } from './context';
import { OciState, ociState } from './oci-state';
import { currentStatus } from './status';

export function containerState(ctx: RuntimeContext, id: string): OciState {
  const record = readState(ctx.root, id);
  return ociState(record, currentStatus(record, stateDir(ctx.root, id)));
}

export function listContainers(ctx: RuntimeContext): OciState[] {
  return listStates(ctx.root).map((record) => ociState(record, currentStatus(record, stateDir(ctx.root, record.id))));
}
