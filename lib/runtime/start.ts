// `start`: release the waiting init through the exec fifo, then poststart.
import * as fs from 'fs';
import * as path from 'path';
import { StateError } from '../errors';
import { native } from '../native';
import { readState, removeIfExists, writeState } from '../state/store';
import { withContainerLock } from './locked';
import { ContainerRecord } from '../state/record';
import { RuntimeContext } from './context';
import { errorFromRecord } from './error-record';
import { FifoReport, fifoReportError, parseFifoReport } from './exec-fifo-report';
import { openInitPidfd } from './init-process';
import { currentStatus } from './status';
import { runRuntimeHooks } from './hooks';
import { closePidfd, destroy } from './destroy';

export async function startContainer(ctx: RuntimeContext, id: string, ownPidfd = -1): Promise<ContainerRecord> {
  return withContainerLock(ctx, id, async (dir) => {
    const record = readState(ctx.root, id);
    const status = currentStatus(record, dir);
    if (status !== 'created') throw new StateError(startRefusal(status));
    const pidfd = ownPidfd >= 0 ? ownPidfd : openInitPidfd(record);
    try {
      const report = parseFifoReport(await native().startViaFifo(path.join(dir, 'exec.fifo'), pidfd));
      if (!report.ok) {
        const err = fifoReportError(withSeccompHint(report, record), (rec) => errorFromRecord(rec, (i) => record.startSteps[i]));
        await destroy(record, { pidfd, runPoststop: true });
        fs.rmSync(dir, { recursive: true, force: true });
        throw err;
      }
    } finally {
      if (ownPidfd < 0) closePidfd(pidfd);
    }
    // runc's rule: created while exec.fifo exists, running after.
    removeIfExists(path.join(dir, 'exec.fifo'));
    record.status = 'running';
    writeState(dir, record);
    try {
      await runRuntimeHooks(record, ['poststart'], 'running');
    } catch (e) {
      // runtime.md step 9: a failed poststart hook stops the container (step 12 onwards).
      await destroy(record, { pidfd: -1, runPoststop: true });
      fs.rmSync(dir, { recursive: true, force: true });
      throw e;
    }
    return record;
  });
}

// Under a filter that refuses write(2), the helper can neither write the
// marker nor report why (lib/plan/seccomp.ts): say so rather than guess a kill.
function withSeccompHint(report: Exclude<FifoReport, { ok: true }>, record: ContainerRecord): Exclude<FifoReport, { ok: true }> {
  if (report.record || !record.config?.linux?.seccomp) return report;
  const hint = 'or did its seccomp profile refuse write(2) to the exec fifo?';
  const reason = report.reason ?? '';
  return { ...report, reason: /\?\)$/.test(reason) ? reason.replace(/\?\)$/, `, ${hint})`) : `${reason} (${hint})` };
}

function startRefusal(status: string): string {
  // runc/start.go's phrases.
  if (status === 'stopped') return 'cannot start a container that has stopped';
  if (status === 'running') return 'cannot start an already running container';
  return `cannot start a container in the ${status} state`;
}
