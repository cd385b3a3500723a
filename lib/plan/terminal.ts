// process.terminal: the pty the helper allocates in the container's own
// devpts, after pivot_root and before masks and the read-only root (runc's
// setupConsole runs between prepareRootfs and finalizeRootfs).
import type { Process } from '../spec/types';
import type { PlanOp } from './ops';
import type { PlanFail } from './plan-fail';

/** The devpts instance's own ptmx: the one the config's /dev/pts mount made. */
export const CONTAINER_PTMX = '/dev/pts/ptmx';
export const CONTAINER_CONSOLE = '/dev/console';

/** A struct winsize field is 16 bits. */
const MAX_WINSIZE = 0xffff;

function consoleSize(p: Process, fail: PlanFail): { rows: number; cols: number } {
  const size = p.consoleSize;
  if (!size) return { rows: 0, cols: 0 };
  for (const k of ['height', 'width'] as const) {
    if (size[k] > MAX_WINSIZE) fail(`/process/consoleSize/${k}`, `${k} ${size[k]} is larger than ${MAX_WINSIZE}`);
  }
  // runc applies consoleSize only when both are set.
  return size.height && size.width ? { rows: size.height, cols: size.width } : { rows: 0, cols: 0 };
}

/**
 * The console step for a process with `terminal: true` (none otherwise).
 * `bindConsole` is false for exec, whose process shares the container's
 * /dev/console (runc mounts it only for the init).
 */
export function consoleOps(p: Process, fail: PlanFail, bindConsole = true): PlanOp[] {
  if (!p.terminal) return [];
  return [{
    op: 'console',
    ptmx: CONTAINER_PTMX,
    console: bindConsole ? CONTAINER_CONSOLE : '',
    ...consoleSize(p, fail),
    // The process's own user owns its terminal (runc's fixStdioPermissions).
    uid: p.user?.uid ?? 0,
  }];
}
