// What the freshly cloned child does before it becomes ts-oci-init. It runs
// in Node's own memory while the cloning thread sleeps (CLONE_VM |
// CLONE_VFORK, spawn.cc), or in a copy of the multi-threaded process when it
// waits for its user namespace's maps: only raw, async-signal-safe syscalls
// (no malloc, no locks, no C++ runtime), everything prepared by the parent,
// and nothing written but its own stack, its own fds and the errno that
// syscall(2) sets (the parent's, which it does not read after a clone that
// succeeded).
#pragma once

namespace tsoci::addon {

// The v1 cgroups' `tasks` files, the fifo, a pidfd, and the detached
// idmapped mounts of one create.
constexpr int kMaxPassFds = 48;

struct ChildExecPlan {
  int syncFd;    // the child's socket end; > targetFd + passCount
  int targetFd;  // 3 + preserveFds: where the helper expects the sync socket
  int helperFd;  // sealed memfd of ts-oci-init; > targetFd, close-on-exec
  int statusFd;  // write end of the exec status pipe; > targetFd, close-on-exec
  // Replacements for fds 0-2 (-1 keeps the caller's), each > targetFd + passCount.
  int stdioFds[3];
  // Fds for the helper itself (exec: the init's pidfd), placed at
  // targetFd+1.. in order; each source > targetFd + passCount.
  int passFds[kMaxPassFds];
  int passCount;
  // A new user namespace: wait for one byte on syncFd (the parent wrote
  // uid_map/gid_map), then become its root before the exec (see child_exec.cc).
  bool holdForMaps;
  char* const* argv;
  char* const* envp;
};

// Which call failed, as sent on the status pipe before the child exits 127.
// A separate close-on-exec pipe rather than the sync socket: the parent
// reads it to EOF (= exec happened) without blocking on the helper, and raw
// errno bytes on the socket would be taken for a frame header.
enum ChildStep : int {
  kStepUncloexec = 0,
  kStepDup = 1,
  kStepCloseRange = 2,
  kStepExec = 3,
  kStepPreservedFd = 4,
  kStepRelease = 5,    // read of the release byte (user namespace)
  kStepSetresgid = 6,
  kStepSetresuid = 7,
};
// (kStepDup also covers the stdio and pass-fd dup3s.)

struct ChildFailure {
  int step;  // ChildStep
  int err;   // errno
};

[[noreturn]] void ExecHelperInChild(const ChildExecPlan& plan);

}  // namespace tsoci::addon
