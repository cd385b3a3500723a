// The helper's private procfs: a detached fsopen("proc") mount nobody in
// the container can over-mount (CVE-2025-52881), used for PROC_WRITE, for
// reopening fds through self/fd/N, and as the anchor of fd-based mounts.
#pragma once
#include <cstddef>

#include "common/protocol.h"
#include "init/context.h"

namespace tsoci {

// Returns the procfs mount fd, creating it on first use; -1 on failure.
int procfs_fd(Ctx& c, ErrorRecord* err);

// Drops the handle after SETNS/UNSHARE: the next use makes a new procfs
// that reflects the namespaces the helper is in by then.
void procfs_invalidate(Ctx& c);

// True when `relpath` may be opened under the private procfs: relative,
// non-empty, and made of plain names only (no "", "." or ".." component).
// RESOLVE_BENEATH alone would let "sys/net/../kernel/core_pattern" reach
// a host-wide file from a key that looks namespaced.
bool procfs_relpath_ok(const char* relpath);

// The last component of the path `fd` was opened at (readlink of its
// self/fd/N in the private procfs), at most `cap` bytes with the NUL.
int procfs_fd_basename(Ctx& c, int fd, char* out, size_t cap, ErrorRecord* err);

struct MountRequest {
  const char* source;  // used when source_fd < 0 (may be nullptr)
  int source_fd;       // bind source, as an O_PATH fd
  int target_fd;       // O_PATH fd of the mount point
  const char* fstype;  // nullptr for binds and remounts
  unsigned long flags;
  const char* data;
  const char* display;  // the path errors name (a container path)
};

// mount(2) with "self/fd/N" paths resolved relative to the private procfs
// (we fchdir into it for the call). Mounting onto the fd instead of a path
// string defeats symlink races (CVE-2021-30465), and does not depend on a
// /proc existing in the current root, so it works before and after pivot.
int mount_at_fds(Ctx& c, const MountRequest& m, ErrorRecord* err);

}  // namespace tsoci
