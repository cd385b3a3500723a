// pids controller, same file on v1 and v2.
import type { Resources } from '../../spec/types';
import { CgroupWrite, formatInt } from '../write';

/**
 * runtime-spec 1.3: a negative limit means "max", and 0 is a real limit
 * ("SHOULD be treated as such"). runc <= 1.2 treated 0 as unset; we follow
 * the spec. An absent `pids` or `limit` writes nothing.
 */
export function pidsWrites(pids: Resources['pids']): CgroupWrite[] {
  if (!pids || typeof pids.limit !== 'number') return [];
  return [{ file: 'pids.max', value: pids.limit < 0 ? 'max' : formatInt(pids.limit) }];
}
