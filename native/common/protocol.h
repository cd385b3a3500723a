// The wire contract between the TypeScript runtime (lib/plan/encode.ts,
// lib/runtime/sync-channel.ts) and the in-container helper ts-oci-init.
// Keep this file and lib/plan/ops.ts in lock step: PLAN_VERSION guards a
// stale prebuilt helper against a newer TS plan.
#pragma once
#include <cstdint>

namespace tsoci {

constexpr uint32_t PLAN_VERSION = 1;

// Every message on the sync socket is a frame: u32 type, u32 length (both
// little endian), then `length` payload bytes.
constexpr uint32_t MAX_FRAME = 16u << 20;  // a plan larger than 16 MiB is refused
constexpr uint32_t MAX_STRING = 1u << 20;  // no single field may exceed 1 MiB

// A frame type with this bit set carries one descriptor (SCM_RIGHTS) on its
// payload, which is sent apart from the header (init/fd_passing.h).
constexpr uint32_t FRAME_FD_FLAG = 0x100;

enum FrameType : uint32_t {
  // parent -> helper
  FRAME_PLAN = 1,  // payload: encoded plan (below)
  FRAME_ACK = 2,   // reply to FRAME_SYNC; empty payload
  // helper -> parent
  FRAME_SYNC = 10,     // payload: i64 tag; the helper blocks until FRAME_ACK
  FRAME_ERROR = 11,    // payload: ErrorRecord; the helper exits 1 right after
  FRAME_CREATED = 12,  // everything but exec is done; helper now waits on the exec fifo
  FRAME_PID = 14,      // payload: i64 pid of the process that carries on the plan (FORK_PIDNS);
                       // answered by FRAME_ACK: hook states naming that pid, as entries of
                       // u32 HOOK_STATE op index, u32 length, JSON bytes

  // New frame types go in their area's block (see OpKind below).
  // 20-29: seccomp
  FRAME_SECCOMP_LISTENER = FRAME_FD_FLAG | 20,  // helper -> parent: the SECCOMP_FILTER_FLAG_NEW_LISTENER
                                                // fd, payload one byte; the parent sends it on to
                                                // listenerPath (no reply: the helper carries on)

  // 30-39: process and linux settings

  // 40-49: hardening of existing steps

  // 50-59: exec into a running container
  FRAME_EXEC_STARTED = 50,  // helper -> parent, empty: EXEC's last step before execve in an exec plan
                            // (EXEC_SYNC_MARKER); EOF after it = the execve happened

  // 60-69: terminals
  FRAME_CONSOLE = FRAME_FD_FLAG | 60,  // payload: the pty peer's name ("/dev/pts/0"); fd: the pty master

};

enum SyncTag : int64_t {
  SYNC_CREATE_RUNTIME = 1,  // parent runs prestart + createRuntime hooks, then ACKs
};

// Plan payload: u32 version, u32 op count, then ops. An op is u16 kind,
// u16 arg count, then args; an arg is a tag byte then a value:
//   'i' -> 8 bytes little-endian int64
//   's' -> u32 length + bytes (no NUL terminator; NUL inside is refused)
// "S*" below means an i64 count followed by that many 's' args.
enum OpKind : uint16_t {
  OP_SETNS = 0,             // path:s nstype:i
  OP_UNSHARE = 1,           // flags:i
  OP_PROC_WRITE = 2,        // relpath:s value:s   (relative to a private procfs)
  OP_ROOT_PROPAGATION = 3,  // flags:i             (mount(NULL, "/", MS_REC|flags))
  OP_ROOTFS = 4,            // path:s              (bind rootfs on itself, open dirfd)
  OP_MOUNT = 5,             // source:s dest:s fstype:s flags:i data:s propagation:i recAttrSet:i
  OP_MKNOD = 6,             // path:s type:i mode:i major:i minor:i uid:i gid:i
  OP_BIND_DEV = 7,          // path:s hostpath:s
  OP_SYMLINK = 8,           // target:s path:s
  OP_SYNC = 9,              // tag:i
  OP_HOOK = 10,             // path:s timeout:i args:S* env:S*
  OP_PIVOT_ROOT = 11,       //
  OP_CHROOT_MOVE = 12,      // (--no-pivot)
  OP_MASK = 13,             // path:s
  OP_READONLY = 14,         // path:s
  OP_REMOUNT_ROOT_RO = 15,  //
  OP_SETHOSTNAME = 16,      // name:s
  OP_SETDOMAINNAME = 17,    // name:s
  OP_RLIMIT = 18,           // resource:i soft:i hard:i   (-1 = RLIM_INFINITY)
  OP_CAP_BOUNDING = 19,     // keep:i   (bit mask of capabilities to keep)
  OP_KEEPCAPS = 20,         // on:i
  OP_CREDS = 21,            // uid:i gid:i groups: i count then that many i
  OP_CAPS = 22,             // effective:i permitted:i inheritable:i ambient:i
  OP_NO_NEW_PRIVS = 23,     //
  OP_UMASK = 24,            // mask:i
  OP_CHDIR = 25,            // path:s
  OP_FIFO_OPEN = 26,        // path:s   (host path of exec.fifo, opened O_PATH before pivot)
  OP_RESOLVE_EXEC = 27,     // file:s pathenv:s
  OP_CREATED = 28,          // send FRAME_CREATED, block on the exec fifo until `start`
  OP_HOOK_STATE = 29,       // json:s   (stdin of the following hooks)
  OP_EXEC = 30,             // args:S* env:S* preserveFds:i
  OP_SECCOMP = 31,          // bpf:b flags:i atExec:i  (sock_filter array; SECCOMP_FILTER_FLAG_*;
                            //  atExec=1: kept for EXEC to load right before execve)
  OP_MKDIR = 32,            // path:s   (in-root mkdir -p, 0755; the cwd runc creates)
  OP_SESSION_KEYRING = 33,  //          (join a new anonymous session keyring)
  OP_FORK_PIDNS = 34,       //          (after SETNS of a pid namespace: continue in a child inside it)
  OP_CGROUP_JOIN = 35,      // fd:i path:s   (write "0" to an inherited v1 `tasks` fd: the helper moves itself)

  // Kinds need not be dense (init/op_table.cc looks them up); each area of
  // the runtime adds its ops in its own block so parallel work never collides.
  // 40-49: seccomp

  // 50-59: process and linux settings (personality, scheduler, ioPriority, ...)
  OP_PERSONALITY = 50,         // persona:i   (domain | flags, personality(2))
  OP_SCHED_SETATTR = 51,       // policy:i flags:i nice:i priority:i runtime:i deadline:i period:i
  OP_IOPRIO_SET = 52,          // prio:i      (class << 13 | level, IOPRIO_WHO_PROCESS self)
  OP_SET_MEMPOLICY = 53,       // mode:i (mode | MPOL_F_* flags) nodemask:I (64-bit words)
  OP_SCHED_SETAFFINITY = 54,   // cpumask:I   (64-bit words)
  OP_NETDEV_SETUP = 55,        // name:s newname:s addrs:b (NetdevAddr records): rename, addresses, up

  // 60-69: hardening and completion of existing steps
  OP_COPYUP_OPEN = 60,  // dest:s   (tmpcopyup: open the directory the next MOUNT covers)
  OP_COPYUP_FILL = 61,  // dest:s   (copy that directory's tree into the mount now at dest)

  // 70-79: exec into a running container
  OP_SETNS_PIDFD = 70,      // pidfd:i nstype:i  (setns on a pidfd of the container's init, all flags at once)
  OP_EXEC_SYNC_MARKER = 71, //                   (EXEC sends FRAME_EXEC_STARTED right before execve)

  // 80-89: terminals
  OP_CONSOLE = 80,  // ptmx:s console:s rows:i cols:i uid:i   (in-root ptmx; console "" = no /dev/console bind;
                    // rows/cols 0 = no TIOCSWINSZ; uid -1 = no chown; sends FRAME_CONSOLE)

  // 90-99: user namespaces and idmapped mounts
  OP_FIFO_FD = 90,      // fd:i   (the exec fifo as an inherited O_PATH fd: a user namespace's root
                        //         may not search the state directory; FIFO_OPEN's alternative)
  OP_USERNS_ROOT = 91,  //        (after joining a user namespace: setresgid/setresuid to its 0)
  OP_MOUNT_FD = 92,     // fd:i dest:s flags:i propagation:i recAttrSet:i   (attach a detached tree the
                        //         runtime made and passed, an idmapped bind, as MOUNT attaches a bind)
  OP_CREDS_KEEP_GROUPS = 93,  // uid:i gid:i   (CREDS without setgroups: the user namespace denies it;
                              //               the supplementary groups stay the creator's)

};

// One address of a network device moved into the container (linux.netDevices):
// read from the host by the addon, added back by OP_NETDEV_SETUP.
struct NetdevAddr {
  uint8_t family;     // AF_INET or AF_INET6
  uint8_t prefixlen;
  uint8_t scope;      // RT_SCOPE_UNIVERSE (only global addresses are carried)
  uint8_t len;        // address bytes used: 4 or 16
  uint32_t flags;     // IFA_F_*
  uint8_t local[16];  // IFA_LOCAL (IPv4; all zero when absent)
  uint8_t address[16];  // IFA_ADDRESS
};
static_assert(sizeof(NetdevAddr) == 40, "NetdevAddr layout is part of the protocol");

// FRAME_ERROR payload. Fixed size so the helper never allocates to report.
struct ErrorRecord {
  int32_t err;        // errno (positive), 0 when `detail` says it all
  int32_t step;       // index of the failing op in the plan, -1 before the plan
  char syscall[32];   // "mount", "openat2", "execve"...
  char path[1024];    // the path the syscall was about, if any
  char detail[1024];  // free text (hook output, "executable file not found in $PATH")
};
static_assert(sizeof(ErrorRecord) == 2088, "ErrorRecord layout is part of the protocol");

// The exec fifo (after FRAME_CREATED) carries either one ErrorRecord, or
// EXEC_MARKER (u32, little endian) written as the very last step before
// execve, followed by an ErrorRecord if that execve failed. `start`
// succeeds only on the marker alone: EOF without it means the init died
// (killed while created, OOM) without running the container process.
constexpr uint32_t EXEC_MARKER = 0x43455845;  // "EXEC"

}  // namespace tsoci
