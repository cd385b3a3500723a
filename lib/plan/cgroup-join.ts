// The helper's first steps: into the container's v1 cgroups, by itself
// (native/init/cgroup_join_ops.cc says why not the runtime).
import type { PlanOp } from './ops';

/** A v1 cgroup's `tasks` file as the helper holds it: its fd there, and the path (for errors). */
export interface CgroupJoinFd {
  fd: number;
  path: string;
}

/** Before anything the helper does is charged or limited (pids, memory), and before any setns or unshare. */
export function cgroupJoinOps(fds: CgroupJoinFd[] | undefined): PlanOp[] {
  return (fds ?? []).map(({ fd, path }) => ({ op: 'cgroupJoin' as const, fd, path }));
}
