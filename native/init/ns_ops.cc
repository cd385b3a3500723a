// SETNS, UNSHARE and PROC_WRITE.
#include <fcntl.h>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "init/error.h"
#include "init/frame.h"
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

// setns(CLONE_NEWPID) only changes where children go: continue the plan in
// a child. CLONE_PARENT makes it a sibling, so the runtime (or whoever
// inherits its children) stays the parent that reaps the container. The
// child waits for the runtime's answer to FRAME_PID, so none of its own
// frames can overtake that one, and the answer carries the hook states that
// must name its pid rather than ours.
int op_fork_pidns(Ctx& c, ArgReader&, ErrorRecord* err) {
  long pid = syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0L, 0L, 0L, 0L);
  if (pid < 0) return sys_error(err, "clone", "");
  if (pid > 0) {
    int64_t child = pid;
    _exit(frame_write(c.sync_fd, FRAME_PID, &child, sizeof child) < 0 ? 1 : 0);
  }
  procfs_invalidate(c);
  uint32_t type = 0, len = 0;
  char* payload = nullptr;
  int r = frame_read(c.sync_fd, &type, &payload, &len, MAX_FRAME);
  if (r == 0) _exit(1);  // the runtime is gone: nobody to report to
  if (r < 0) return sys_error(err, "read", "sync socket");
  if (type != FRAME_ACK) {
    free(payload);
    return detail_error(err, EPROTO, "read", "sync socket", "expected an ACK frame, got type %u", type);
  }
  c.state_overrides = payload;
  c.state_overrides_len = len;
  return 0;
}

// After setns into a user namespace the helper keeps the host's ids, which
// the namespace may not map: files it creates would fail (EOVERFLOW) and
// its execve would drop every capability. Its root, as runc's nsexec does.
int op_userns_root(Ctx&, ArgReader&, ErrorRecord* err) {
  if (setresgid(0, 0, 0) < 0)
    return detail_error(err, errno, "setresgid", "", "cannot become root in the joined user namespace (gid 0 not mapped?)");
  if (setresuid(0, 0, 0) < 0)
    return detail_error(err, errno, "setresuid", "", "cannot become root in the joined user namespace (uid 0 not mapped?)");
  return 0;
}

// The value goes out in one write: some files (timens_offsets, uid_map)
// only accept their whole content at once.
int op_proc_write(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* relpath = a.str();
  const char* value = a.str();
  if (!procfs_relpath_ok(relpath))
    return detail_error(err, EINVAL, "openat2", relpath, "procfs path \"%s\" must be relative, without \"..\", \".\" or empty components", relpath);
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
