// A failed plan step as the user reads it: the step (describe.ts) and, where
// the errno's name alone misleads, what it means for that step.
import { constants } from 'os';
import type { PlanOp } from './ops';
import { describeOp } from './describe';
import { MS_BIND, MS_MOVE, MS_REMOUNT } from './linux-constants';

export interface FailureText {
  step: string;
  /** Words after the errno name: "ENODEV: unknown filesystem type". */
  explanation?: string;
}

export function describeFailure(op: PlanOp, errno: number): FailureText {
  const step = describeOp(op);
  // mount(2)/fsopen(2): ENODEV is "filesystem type not configured in the kernel";
  // "mount none on /mnt/x: ENODEV" does not say which type that was.
  if (op.op === 'mount' && errno === constants.errno.ENODEV && !(op.flags & (MS_BIND | MS_MOVE | MS_REMOUNT))) {
    return { step: `${step} (type ${op.fstype})`, explanation: 'unknown filesystem type' };
  }
  return { step };
}
