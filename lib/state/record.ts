// The persisted container record: the OCI/runc state fields plus what this
// runtime needs later (pid identity, cgroups, hooks to run after create).
import type { ContainerStatus } from '../spec/state-types';
import type { Hook } from '../spec/types';
import type { CgroupDirs } from '../cgroups/path';

export interface ContainerRecord {
  ociVersion: string;
  id: string;
  /** Host pid of the container process; 0 before it exists. */
  pid: number;
  /** Status as last recorded; the live one comes from liveStatus(). */
  status: ContainerStatus;
  bundle: string;
  rootfs: string;
  /** RFC 3339 with nanoseconds, like runc. */
  created: string;
  owner: string;
  annotations?: Record<string, string>;

  /**
   * Field 22 of /proc/<pid>/stat of the container process (0 before it
   * exists): tells that process from a later one reusing the pid.
   */
  startTime: number;
  /** The container's cgroup directories, absent when none were made. */
  cgroupDirs?: CgroupDirs;
  /** Hooks that run after `create` returned (start, delete). */
  hooks?: { poststart?: Hook[]; poststop?: Hook[] };
  /** Namespace type → path to join for `exec` (/proc/<pid>/ns/... or the config's). */
  namespacePaths?: Record<string, string>;
  /** False when the container shares the host's (or another) pid namespace. */
  ownPidNamespace?: boolean;
  /** Launch-plan op index → description, for errors the helper reports after `start`. */
  startSteps: Record<number, string>;
}
