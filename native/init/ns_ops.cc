// SETNS, UNSHARE and PROC_WRITE.
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "init/error.h"
#include "init/ops.h"
#include "init/procfs.h"
#include "init/sys.h"

namespace tsoci {

int op_setns(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* path = a.str();
  int nstype = static_cast<int>(a.num());
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return sys_error(err, "open", path);
  int rc = setns(fd, nstype);
  if (rc < 0) sys_error(err, "setns", path);
  close(fd);
  procfs_invalidate(c);
  return rc;
}

int op_unshare(Ctx& c, ArgReader& a, ErrorRecord* err) {
  int flags = static_cast<int>(a.num());
  if (unshare(flags) < 0) return sys_error(err, "unshare", "");
  procfs_invalidate(c);
  return 0;
}

// The value goes out in one write: some files (timens_offsets, uid_map)
// only accept their whole content at once.
int op_proc_write(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* relpath = a.str();
  const char* value = a.str();
  int proc = procfs_fd(c, err);
  if (proc < 0) return -1;
  int fd = sys_openat2(proc, relpath, O_WRONLY | O_CLOEXEC | O_NOCTTY,
                       RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV);
  if (fd < 0) return sys_error(err, "openat2", relpath);
  size_t len = strlen(value);
  ssize_t n;
  do n = write(fd, value, len);
  while (n < 0 && errno == EINTR);
  int rc = 0;
  if (n < 0) rc = sys_error(err, "write", relpath);
  else if (static_cast<size_t>(n) != len) rc = detail_error(err, EIO, "write", relpath, "short write");
  close(fd);
  return rc;
}

}  // namespace tsoci
