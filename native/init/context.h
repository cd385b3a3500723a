// State the ops share while the plan runs. Every fd here is O_CLOEXEC and
// is closed by EXEC before the container process starts.
#pragma once
#include <climits>
#include <cstdint>

namespace tsoci {

struct Ctx {
  int sync_fd = -1;
  // The rootfs dirfd that in-root paths resolve under; -1 before ROOTFS.
  // After PIVOT_ROOT / CHROOT_MOVE it is the new "/".
  int root_fd = -1;
  // Private procfs mount (fsmount); -1 until needed or after a namespace
  // change made it stale.
  int proc_fd = -1;
  int fifo_path_fd = -1;  // O_PATH exec.fifo from FIFO_OPEN
  int fifo_dir_fd = -1;   // own self/fd directory on a subset=pid procfs, to reopen it at CREATED
  int fifo_fd = -1;       // its write end after CREATED
  bool created = false;   // FRAME_CREATED sent: errors now go to the fifo
  const char* hook_state = "";
  uint32_t hook_state_len = 0;
  // Index of the op being run (HOOK_STATE looks up its replacement by it).
  int32_t step = -1;
  // After FORK_PIDNS: states naming the new pid, entries of u32 op index,
  // u32 length, bytes (the runtime's FRAME_ACK payload; owned here).
  char* state_overrides = nullptr;
  uint32_t state_overrides_len = 0;
  bool exec_resolved = false;
  // EXEC_SYNC_MARKER (exec plans): EXEC sends FRAME_EXEC_STARTED on the
  // sync socket as its last step, as it writes EXEC_MARKER to the fifo after CREATED.
  bool exec_sync_marker = false;
  char exec_path[PATH_MAX] = {};
  // seccomp: a program OP_SECCOMP kept for EXEC (points into the plan payload).
  const char* seccomp_bpf = nullptr;
  uint32_t seccomp_len = 0;
  uint64_t seccomp_flags = 0;
  // COPYUP_OPEN's directory until COPYUP_FILL; kCopyupNothing when the
  // mount point did not exist (nothing to copy).
  int copyup_fd = -1;
};

constexpr int kCopyupNothing = -2;

}  // namespace tsoci
