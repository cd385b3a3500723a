// CGROUP_JOIN: the helper moves itself into one v1 cgroup by writing "0"
// to an inherited fd of that cgroup's `tasks` file, opened by the runtime.
//
// Why the helper and not the runtime: a write of a pid to cgroup.procs
// takes the global cgroup_threadgroup_rwsem for writing, which waits out
// an RCU grace period (~10 ms, for every container of the machine in
// turn). Since Linux 6.x a write of "0" to `tasks` (one thread: the writer
// itself) skips that lock. The helper is single-threaded, so moving its one
// thread moves the process, and everything it forks or execs stays there.
// The permission check uses the opener's credentials (the fd's f_cred), so
// it holds in a new user namespace too.
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>

#include "init/error.h"
#include "init/ops.h"

namespace tsoci {

// What a runtime bug (or a tampered plan) could hand us instead: the sync
// socket, a preserved fd, or another cgroup file ("0" in memory.limit_in_bytes
// would be a limit). Only a write-only regular file on cgroupfs is taken.
static int check_tasks_fd(const Ctx& c, int64_t fd, const char* path, ErrorRecord* err) {
  if (fd < 3 || fd > INT_MAX || fd == c.sync_fd)
    return detail_error(err, EBADF, "write", path, "cgroup fd %lld is not a descriptor of the helper", static_cast<long long>(fd));
  int n = static_cast<int>(fd);
  struct statfs sfs;
  struct stat st;
  int flags = fcntl(n, F_GETFL);
  if (flags < 0 || fstatfs(n, &sfs) < 0 || fstat(n, &st) < 0) return sys_error(err, "fstat", path);
  if (sfs.f_type != CGROUP_SUPER_MAGIC || !S_ISREG(st.st_mode) || (flags & O_ACCMODE) != O_WRONLY)
    return detail_error(err, EINVAL, "write", path, "fd %d is not a write-only cgroup v1 file", n);
  return 0;
}

int op_cgroup_join(Ctx& c, ArgReader& a, ErrorRecord* err) {
  int64_t fd = a.num();
  const char* path = a.str();
  if (check_tasks_fd(c, fd, path, err) < 0) return -1;
  int n = static_cast<int>(fd);
  ssize_t w = write(n, "0", 1);
  int e = errno;
  // Not needed past this step: nothing of the host's cgroupfs stays open.
  close(n);
  if (w != 1) {
    errno = w < 0 ? e : EIO;
    return sys_error(err, "write", path);
  }
  return 0;
}

}  // namespace tsoci
