// The persisted container record: the OCI/runc state fields plus what this
// runtime needs later (pid identity, cgroups, hooks to run after create).
import type { ContainerState } from '../spec/state-types';
import type { Hooks, Spec } from '../spec/types';
import type { CgroupDirs } from '../cgroups/path';

/**
 * The fields of runc's state JSON (as last recorded: the live status comes
 * from liveStatus(), and `pid` is the host pid, 0 before it exists).
 */
export interface ContainerRecord extends ContainerState {
  /**
   * Field 22 of /proc/<pid>/stat of the container process (0 before it
   * exists): tells that process from a later one reusing the pid.
   */
  startTime: number;
  /** The container's cgroup directories, absent when none were made. */
  cgroupDirs?: CgroupDirs;
  /** The config's hooks: config.json may change after create (spec: no effect). */
  hooks?: Hooks;
  /** config.json as it was at create: what `exec` takes its defaults and namespaces from. */
  config?: Spec;
  /** Namespace type → path to join for `exec` (/proc/<pid>/ns/... or the config's). */
  namespacePaths?: Record<string, string>;
  /** False when the container shares the host's (or another) pid namespace. */
  ownPidNamespace?: boolean;
  /** Launch-plan op index → description, for errors the helper reports after `start`. */
  startSteps: Record<number, string>;
}
