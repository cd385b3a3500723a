// The launch plan: an ordered list of operations the in-container helper
// (native/init) executes one by one. TS decides every path, flag and order;
// the helper only executes. Kinds and argument order mirror
// native/common/protocol.h exactly.

export const PLAN_VERSION = 1;

export const enum OpKind {
  SETNS = 0,
  UNSHARE = 1,
  PROC_WRITE = 2,
  ROOT_PROPAGATION = 3,
  ROOTFS = 4,
  MOUNT = 5,
  MKNOD = 6,
  BIND_DEV = 7,
  SYMLINK = 8,
  SYNC = 9,
  HOOK = 10,
  PIVOT_ROOT = 11,
  CHROOT_MOVE = 12,
  MASK = 13,
  READONLY = 14,
  REMOUNT_ROOT_RO = 15,
  SETHOSTNAME = 16,
  SETDOMAINNAME = 17,
  RLIMIT = 18,
  CAP_BOUNDING = 19,
  KEEPCAPS = 20,
  CREDS = 21,
  CAPS = 22,
  NO_NEW_PRIVS = 23,
  UMASK = 24,
  CHDIR = 25,
  FIFO_OPEN = 26,
  RESOLVE_EXEC = 27,
  CREATED = 28,
  HOOK_STATE = 29,
  EXEC = 30,
  SECCOMP = 31,
  MKDIR = 32,
  SESSION_KEYRING = 33,
  FORK_PIDNS = 34,
  CGROUP_JOIN = 35,

  // Each area adds its kinds in its own block (native/common/protocol.h).
  // 40-49: seccomp

  // 50-59: process and linux settings
  PERSONALITY = 50,
  SCHED_SETATTR = 51,
  IOPRIO_SET = 52,
  SET_MEMPOLICY = 53,
  SCHED_SETAFFINITY = 54,
  NETDEV_SETUP = 55,

  // 60-69: hardening and completion of existing steps
  COPYUP_OPEN = 60,
  COPYUP_FILL = 61,

  // 70-79: exec into a running container
  SETNS_PIDFD = 70,
  EXEC_SYNC_MARKER = 71,

  // 80-89: terminals
  CONSOLE = 80,

  // 90-99: user namespaces and idmapped mounts
  FIFO_FD = 90,
  USERNS_ROOT = 91,
  MOUNT_FD = 92,
  CREDS_KEEP_GROUPS = 93,
}

export const SYNC_CREATE_RUNTIME = 1;

export type PlanOp =
  | { op: 'setns'; path: string; nstype: number; ns: string }
  | { op: 'unshare'; flags: number; ns: string }
  | { op: 'procWrite'; path: string; value: string }
  | { op: 'rootPropagation'; flags: number }
  | { op: 'rootfs'; path: string }
  | {
      op: 'mount';
      source: string;
      destination: string;
      fstype: string;
      flags: number;
      data: string;
      propagation: number;
      recAttrSet: number;
    }
  | { op: 'mknod'; path: string; type: number; mode: number; major: number; minor: number; uid: number; gid: number }
  | { op: 'bindDev'; path: string; hostPath: string }
  | { op: 'symlink'; target: string; path: string }
  | { op: 'sync'; tag: number }
  | { op: 'hook'; hook: string; path: string; timeout: number; args: string[]; env: string[] }
  | { op: 'pivotRoot' }
  | { op: 'chrootMove' }
  | { op: 'mask'; path: string }
  | { op: 'readonly'; path: string }
  | { op: 'remountRootReadonly' }
  | { op: 'sethostname'; name: string }
  | { op: 'setdomainname'; name: string }
  | { op: 'rlimit'; name: string; resource: number; soft: bigint; hard: bigint }
  | { op: 'capBounding'; keep: bigint }
  | { op: 'keepCaps'; on: boolean }
  | { op: 'creds'; uid: number; gid: number; groups: number[] }
  | { op: 'caps'; effective: bigint; permitted: bigint; inheritable: bigint; ambient: bigint }
  | { op: 'noNewPrivs' }
  | { op: 'umask'; mask: number }
  | { op: 'chdir'; path: string }
  | { op: 'fifoOpen'; path: string }
  | { op: 'resolveExec'; file: string; pathEnv: string }
  | { op: 'created' }
  | { op: 'hookState'; json: string }
  | { op: 'exec'; args: string[]; env: string[]; preserveFds: number }
  | { op: 'seccomp'; bpf: Buffer; flags: number; atExec: boolean }
  | { op: 'mkdir'; path: string }
  | { op: 'sessionKeyring' }
  | { op: 'forkPidns' }
  /** fd: the helper's fd of a v1 cgroup's `tasks` file; path: that file, for errors. */
  | { op: 'cgroupJoin'; fd: number; path: string }
  // 40-49: seccomp

  // 50-59: process and linux settings
  | { op: 'personality'; persona: number }
  | {
      op: 'schedSetattr';
      policy: number;
      flags: number;
      nice: number;
      priority: number;
      runtime: bigint;
      deadline: bigint;
      period: bigint;
    }
  | { op: 'ioprioSet'; prio: number }
  | { op: 'setMempolicy'; mode: number; nodemask: bigint[] }
  | { op: 'schedSetaffinity'; cpumask: bigint[] }
  | { op: 'netdevSetup'; name: string; finalName: string; addresses: Buffer }

  // 60-69: hardening and completion of existing steps
  | { op: 'copyupOpen'; destination: string }
  | { op: 'copyupFill'; destination: string }

  // 70-79: exec into a running container
  | { op: 'setnsPidfd'; fd: number; nstype: number; ns: string[] }
  | { op: 'execSyncMarker' }

  // 80-89: terminals
  | { op: 'console'; ptmx: string; console: string; rows: number; cols: number; uid: number }

  // 90-99: user namespaces and idmapped mounts
  | { op: 'fifoFd'; fd: number }
  | { op: 'usernsRoot' }
  | { op: 'mountFd'; fd: number; destination: string; flags: number; propagation: number; recAttrSet: number }
  | { op: 'credsKeepGroups'; uid: number; gid: number }
;

export type PlanOpName = PlanOp['op'];
