// Inputs and output of the plan builder (build.ts).
import type { PlanOp } from './ops';
import type { CompiledSeccomp } from '../seccomp/compile';
import type { HostFeatures } from './host-features';

export interface CgroupV1Mount {
  /** Hierarchy name as mounted on the host: "memory", "cpu,cpuacct", "name=systemd". */
  controller: string;
  /** Host directory of the container's cgroup in that hierarchy. */
  hostDir: string;
}

export interface PlanContext {
  /** Absolute bundle directory (relative bind sources resolve against it). */
  bundle: string;
  /** Absolute rootfs path. */
  rootfs: string;
  /** The container's state directory. */
  statePath: string;
  /** Host path of the exec fifo. */
  fifoPath: string;
  /** `--no-pivot`: MS_MOVE + chroot instead of pivot_root. */
  noPivot: boolean;
  /** `--no-new-keyring`: keep the caller's session keyring. */
  noNewKeyring?: boolean;
  /** Fds 3 .. 3+preserveFds-1 are passed to the container process. */
  preserveFds: number;
  /** The state JSON hooks read on stdin, for a status ("creating", "created"). */
  hookState: (status: string) => string;
  /** Cgroup v1 hierarchies to expose at "cgroup" mounts; undefined or no v1Mounts = a cgroup2 mount. */
  cgroup: { v1Mounts?: CgroupV1Mount[] } | undefined;
  /** linux.seccomp compiled (lib/seccomp/compile.ts); undefined = no filter. */
  seccomp?: CompiledSeccomp;
  /** linux.netDevices as the runtime found them on the host (lib/runtime/net-devices.ts). */
  netDevices?: import('./net-devices').PreparedNetDevice[];
  /** LSMs and resctrl on this host; absent = none (host-dependent fields are refused). */
  host?: HostFeatures;
  /** linux.mountLabel once accepted (set by the builder): the context= of the container's filesystems. */
  mountLabel?: string;
  /**
   * The helper's fd number of an O_PATH fd of the exec fifo the runtime
   * passes (a user namespace's root may not search the state directory);
   * absent = the helper opens fifoPath itself.
   */
  fifoFd?: number;
  /**
   * The v1 cgroups the helper moves itself into, first of all: the helper's
   * fd of each `tasks` file the runtime passes, and its path (for errors).
   */
  cgroupJoinFds?: import('./cgroup-join').CgroupJoinFd[];
  /** For an idmapped mount (index into config.mounts): the helper's fd of its detached tree. */
  mountFds?: Record<number, number>;
  /** The runtime itself runs in a user namespace other than the host's (Podman rootless). */
  runtimeInUserns?: boolean;
  /** Set by the builder: the container has a user namespace (new or joined), or the runtime runs in one. */
  inUserns?: boolean;
  /** Set by the builder: cgroup2 cannot be mounted (user namespace, no cgroup namespace of its own): bind the host's, read-only. */
  bindCgroup?: boolean;
  /** Set by the builder: sysfs cannot be mounted (user namespace, network namespace not its own): bind /sys. */
  bindSysfs?: boolean;
}

export interface LaunchPlan {
  /** CLONE_NEW* for clone3: new namespaces except cgroup and time (unshared by the helper); none when a user namespace is joined. */
  cloneFlags: number;
  ops: PlanOp[];
  /** Notes for the caller to log (one line each): nothing that affects isolation. */
  warnings: string[];
}
