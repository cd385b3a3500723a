// A user namespace whose setgroups file says "deny" (one an unprivileged
// user made mapping only its own ids: the kernel requires the deny before
// gid_map) refuses setgroups(2) to everyone in it. Its plans set the ids
// only (CREDS_KEEP_GROUPS); additional gids cannot be honoured there.
import * as fs from 'fs';
import type { PlanOp } from './ops';
import type { PlanFail } from './plan-fail';

/** True when /proc/<pid>/setgroups says deny (false when it cannot be read: no user namespace of its own). */
export function setgroupsDenied(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/setgroups`, 'utf8').trim() === 'deny';
  } catch {
    return false;
  }
}

export function withoutSetgroups(ops: PlanOp[], fail: PlanFail): PlanOp[] {
  return ops.map((op) => {
    if (op.op !== 'creds') return op;
    if (op.groups.length) {
      fail('/process/user/additionalGids', 'additional gids need setgroups, which this user namespace denies (made by an unprivileged user mapping only its own ids)');
    }
    return { op: 'credsKeepGroups', uid: op.uid, gid: op.gid };
  });
}
