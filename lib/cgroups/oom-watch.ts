// OOM notifications of a container's cgroup, pushed to a callback:
//   v1: an eventfd on memory.oom_control (cgroup.event_control), the
//       kernel's own notification, read on the threadpool;
//   v2: the oom_kill counter of memory.events, read when the kernel
//       reports the file modified (inotify, as cgroup-v2.rst documents)
//       and when polled.
// The kernel also signals the v1 eventfd when the cgroup is removed; a
// wake-up without a live cgroup is not an OOM.
import * as fs from 'fs';
import * as path from 'path';
import type { CgroupManager } from './cgroup-manager';

export interface OomWatch {
  /** OOM events seen since the last call. */
  take(): number;
  /** For counters that are polled (v2): read them now. */
  poll(): void;
  close(): void;
}

function v1Watch(memoryDir: string, onOom: () => void): OomWatch {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const n = (require('../native') as typeof import('../native')).native();
  const fd = n.oomEventfd(memoryDir);
  let pending = 0;
  let closing = false;
  const loop = async (): Promise<void> => {
    try {
      while (!closing) {
        await n.eventfdRead(fd);
        if (closing || !fs.existsSync(path.join(memoryDir, 'memory.oom_control'))) break;
        pending++;
        onOom();
      }
    } catch {
      // The fd went bad: no more notifications.
    } finally {
      n.close(fd);
    }
  };
  void loop();
  return {
    take: () => {
      const p = pending;
      pending = 0;
      return p;
    },
    poll: () => undefined,
    close: () => {
      if (closing) return;
      closing = true;
      n.eventfdWrite(fd, 1);
    },
  };
}

function counterWatch(manager: CgroupManager, onOom: () => void): OomWatch {
  let seen = manager.oomKills() ?? 0;
  let pending = 0;
  const poll = (): void => {
    const now = manager.oomKills();
    if (now !== undefined && now > seen) pending++;
    if (now !== undefined) seen = now;
  };
  const watcher = watchModified(manager.dirs.v2 && path.join(manager.dirs.v2.path, 'memory.events'), () => {
    poll();
    if (pending > 0) onOom();
  });
  return {
    take: () => {
      const p = pending;
      pending = 0;
      return p;
    },
    poll,
    close: () => watcher?.close(),
  };
}

/** inotify on a cgroup file; without it (no file, no inotify) the counter is only polled. */
function watchModified(file: string | undefined, onChange: () => void): fs.FSWatcher | undefined {
  if (!file) return undefined;
  try {
    const w = fs.watch(file, { persistent: false }, onChange);
    w.on('error', () => w.close());
    return w;
  } catch {
    return undefined;
  }
}

/** The kernel's v1 eventfd where there is a v1 memory cgroup, else the v2 counter. */
export function watchOom(manager: CgroupManager, onOom: () => void): OomWatch {
  const memoryDir = manager.v1MemoryDir();
  return memoryDir ? v1Watch(memoryDir, onOom) : counterWatch(manager, onOom);
}
