// The only importer of the addon. Loaded lazily so `state`, `list`, `spec`
// and `--help` never dlopen it.
import * as path from 'path';
import * as fs from 'fs';

export interface SpawnOptions {
  /** Absolute path of the ts-oci-init helper executable (copied to a sealed memfd once). */
  helperPath: string;
  /** CLONE_NEW* flags for clone3. */
  cloneFlags: number;
  /** An O_DIRECTORY fd of a cgroup2 directory for CLONE_INTO_CGROUP, or -1. */
  cgroupFd: number;
  /** Fds 3 .. 3+preserveFds-1 are inherited by the container. */
  preserveFds: number;
  /** Replacements for fds 0-2 of the helper (and so of the process); -1 keeps the caller's. */
  stdio?: number[];
  /** Fds for the helper itself (at most 20), placed right after its sync fd: 4+preserveFds, ... */
  passFds?: number[];
  /**
   * With CLONE_NEWUSER: the child waits before it execs the helper, so the
   * runtime can write its uid_map/gid_map (writeIdMaps, or newuidmap); then
   * spawnRelease. The result carries `statusFd` for that call.
   */
  holdForMaps?: boolean;
  /**
   * Return at once with `statusFd` instead of waiting for the exec; once it
   * is readable, spawnExecStatus says whether the helper was exec'd. The
   * child is then a copy of this process, not a vfork (slower with a big heap).
   */
  deferExecCheck?: boolean;
}

/** The contents of a user namespace's map files, as the kernel takes them. */
export interface IdMapFiles {
  uidMap: string;
  gidMap: string;
  /** Written to setgroups first when set. */
  setgroups?: 'deny' | 'allow';
}

export interface SpawnResult {
  pid: number;
  /** CLONE_PIDFD result, O_CLOEXEC. */
  pidfd: number;
  /** Parent end of the sync socketpair (blocking, O_CLOEXEC). */
  syncFd: number;
  /** holdForMaps or deferExecCheck only: the exec status pipe, for spawnRelease or spawnExecStatus (which close it). */
  statusFd?: number;
}

export interface ExitStatus {
  /** Exit code, or 128+signal when killed by a signal (shell convention). */
  status: number;
  signal: number | null;
}

export type CgroupFsOp =
  | { op: 'mkdir'; path: string }
  | { op: 'write'; path: string; value: string; retryAfterNext?: boolean }
  | { op: 'rmdir'; path: string };

export interface NativeBinding {
  /** Hands the JS error class to the addon: native errors become ContainerSystemError. */
  setErrorClass(ctor: Function): void;
  spawn(options: SpawnOptions): SpawnResult;
  /** Lets a child spawned with holdForMaps become root in its user namespace and exec the helper. */
  spawnRelease(syncFd: number, statusFd: number, pidfd: number, helperPath: string): void;
  /** After spawn with deferExecCheck, once statusFd is readable: throws (and reaps the child) if it could not exec. */
  spawnExecStatus(pidfd: number, statusFd: number, helperPath: string): void;
  /** Writes setgroups, uid_map, gid_map of the process `pidfd` names (through /proc/<pid>, pidfd-checked). */
  writeIdMaps(pidfd: number, pid: number, maps: IdMapFiles): void;
  /** An fd (O_CLOEXEC) of a new user namespace with these maps, for an idmapped mount. */
  mappedUserns(maps: IdMapFiles): number;
  /** A detached clone of `source` carrying the user namespace's mapping (MOUNT_ATTR_IDMAP); O_CLOEXEC. */
  idmappedTree(source: string, recursive: boolean, recursiveIdmap: boolean, usernsFd: number): number;
  pidfdOpen(pid: number): number;
  /** pidfd_send_signal; throws ESRCH when the process is gone. */
  pidfdSendSignal(pidfd: number, signal: number): void;
  /** True when the process behind the pidfd has exited (poll, no wait). */
  pidfdExited(pidfd: number): boolean;
  /**
   * Calls back once when the pidfd becomes readable (uv_poll, no thread, no
   * polling). `status` is the reaped exit status when the process is our
   * child, null otherwise. `ref: false` lets Node exit while it waits.
   */
  watchPidfd(pidfd: number, callback: (status: ExitStatus | null) => void, ref?: boolean): void;
  /** Reaps our child synchronously (waitid P_PIDFD, blocking). */
  waitPidfd(pidfd: number): ExitStatus | null;
  /**
   * `start`: opens the exec fifo O_RDONLY|O_NONBLOCK, then polls it together
   * with the pidfd until EOF. Returns null when the container process exec'd,
   * or the helper's ErrorRecord bytes when it failed after `start`. Throws
   * ECHILD-like 'ESRCH' if the helper died before opening the fifo.
   * Polls on the libuv threadpool: the event loop keeps turning.
   */
  startViaFifo(fifoPath: string, pidfd: number): Promise<Buffer | null>;
  /** Executes cgroupfs operations in order (mkdir is idempotent; rmdir of a missing dir is fine). */
  cgroupApply(ops: CgroupFsOp[]): void;
  /** The same on the libuv threadpool (a v1 cgroup.procs write waits for an RCU grace period). */
  cgroupApplyAsync(ops: CgroupFsOp[]): Promise<void>;
  /** mkfifo(path, mode). */
  mkfifo(path: string, mode: number): void;
  /**
   * Opens (O_CREAT|O_RDWR|O_CLOEXEC, 0600) and tries an exclusive OFD lock
   * (F_OFD_SETLK, never waits); returns the fd, or -1 if another open file
   * description holds the lock. The lock dies with the fd.
   */
  tryLockFile(path: string): number;
  /** The same, waiting for the lock (F_OFD_SETLKW) on the libuv threadpool. */
  lockFileWait(path: string): Promise<number>;
  close(fd: number): void;
  /**
   * One recvmsg of at most `maxLen` bytes on the libuv threadpool; `fd` is the
   * descriptor that came with them (SCM_RIGHTS, O_CLOEXEC), or -1. Empty
   * `data` means EOF.
   */
  recvFd(sockFd: number, maxLen: number): Promise<{ fd: number; data: Buffer }>;
  /** One sendmsg of `data` (non-empty) with `fd` attached. */
  sendFd(sockFd: number, fd: number, data: Buffer): void;
  /** A connected AF_UNIX SOCK_STREAM socket (O_CLOEXEC, blocking). */
  connectUnix(path: string): number;
  /** pipe2(O_CLOEXEC): [read end, write end]. */
  pipe(): [number, number];
  /** Checks `fd` is a pty master (returns its pts number) and makes it O_NONBLOCK. */
  ptyMaster(fd: number): number;
  /** TIOCSWINSZ on a terminal fd (a pty master): the window size its processes see. */
  ptySetSize(fd: number, cols: number, rows: number): void;
  /**
   * Calls back once when `fd` is readable (or hung up) / writable, with 0 or
   * a negative errno; returns an id for unwatchFd. The poll runs on a dup of
   * the fd and leaves the open file O_NONBLOCK. An active watch keeps the
   * event loop alive.
   */
  watchFd(fd: number, writable: boolean, callback: (status: number) => void): number;
  /** Cancels a watch that has not fired yet (a fired or unknown id is ignored). */
  unwatchFd(id: number): void;
  version(): { addon: string; planVersion: number };
  // linux.netDevices (native/addon/netdev.cc)
  /** if_nametoindex and the permanent global addresses of a host network device, as NetdevAddr records. */
  netdevAddresses(name: string): { index: number; addresses: Buffer };
  /** RTM_NEWLINK: moves device `index` into the network namespace `nsFd`, renamed unless newName is "". */
  netdevMove(index: number, nsFd: number, newName: string): void;
  // seccomp (native/addon/seccomp_*.cc; libseccomp is dlopen'ed at first use)
  /** The BPF program of a profile description (lib/seccomp/describe.ts), or why not. */
  seccompCompile(profile: SeccompProgramDesc): SeccompCompileResult;
  /** libseccomp's version and API level, or why it cannot be loaded. */
  seccompLibraryInfo(): { version: string; apiLevel: number } | { libraryError: string };
  /** The loader's error line for `soname` (null if it loads): the missing-library path, testable. */
  seccompLibraryProbe(soname: string): string | null;
  /** SECCOMP_GET_ACTION_AVAIL: the running kernel knows this SECCOMP_RET_* action. */
  seccompActionAvailable(action: number): boolean;
  /** The running kernel accepts this SECCOMP_FILTER_FLAG_* (probed, nothing loaded). */
  seccompFlagSupported(flag: number): boolean;
  // cgroup2 device programs (native/addon/bpf_device.cc)
  /** BPF_PROG_LOAD of a BPF_PROG_TYPE_CGROUP_DEVICE program; an O_CLOEXEC fd. Errors carry the verifier's last line. */
  bpfLoadDeviceProgram(insns: Buffer, license: string): number;
  /** BPF_PROG_ATTACH (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI; BPF_F_REPLACE of replaceFd when >= 0). */
  bpfAttachDevice(cgroupDir: string, progFd: number, replaceFd: number): void;
  /** Ids of the device programs attached to the cgroup itself (BPF_PROG_QUERY). */
  bpfQueryDevice(cgroupDir: string): number[];
  /** BPF_PROG_GET_FD_BY_ID: an O_CLOEXEC fd. */
  bpfProgFdById(id: number): number;
  /** BPF_PROG_DETACH of that program from the cgroup. */
  bpfDetachDevice(cgroupDir: string, progFd: number): void;
  // cgroup v1 OOM notification (native/addon/oom_eventfd.cc)
  /** An O_CLOEXEC eventfd registered on <memoryDir>/memory.oom_control via cgroup.event_control. */
  oomEventfd(memoryDir: string): number;
  /** One blocking read of the eventfd's counter, on the threadpool. */
  eventfdRead(fd: number): Promise<number>;
  /** Adds to the counter: wakes a pending eventfdRead. */
  eventfdWrite(fd: number, value: number): void;
}

/** One seccomp_rule_add call: libseccomp action value, syscall name, AND'ed conditions. */
export interface SeccompRuleDesc {
  name: string;
  action: number;
  args: { index: number; op: number; value: bigint; valueTwo: bigint }[];
}

export interface SeccompProgramDesc {
  defaultAction: number;
  /** libseccomp arch names ("x86_64", "x86", "x32"). */
  architectures: string[];
  rules: SeccompRuleDesc[];
}

export type SeccompCompileResult =
  | { bpf: Buffer; unknown: number[] }
  | { libraryError: string }
  | { error: { what: 'defaultAction' | 'architecture' | 'rule' | 'export'; index: number; call: string; errno: number } };

let binding: NativeBinding | undefined;

export const packageRoot = path.resolve(__dirname, '..');

export function native(): NativeBinding {
  if (!binding) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    binding = require('node-gyp-build')(packageRoot) as NativeBinding;
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    binding.setErrorClass(require('./errors').ContainerSystemError);
  }
  return binding;
}

/** The helper sits beside the addon: build/Release or prebuilds/<platform>-<arch>. */
export function helperPath(): string {
  // No environment override: whatever this path names runs as root in every container.
  const candidates = [
    path.join(packageRoot, 'build', 'Release', 'ts-oci-init'),
    path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`, 'ts-oci-init'),
  ];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error('ts-oci-init helper not found: run `npm run build:native` or reinstall ts-oci');
}
