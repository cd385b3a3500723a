// PIVOT_ROOT and CHROOT_MOVE: make the rootfs the process's "/".
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>

#include "init/error.h"
#include "init/ops.h"
#include "init/sys.h"

namespace tsoci {

static int need_rootfs(Ctx& c, const char* what, ErrorRecord* err) {
  if (c.root_fd >= 0) return 0;
  return detail_error(err, EINVAL, what, "", "%s before ROOTFS", what);
}

// In-root paths now resolve under the new "/".
static int reopen_root(Ctx& c, ErrorRecord* err) {
  int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return sys_error(err, "open", "/");
  close(c.root_fd);
  c.root_fd = root;
  return 0;
}

// runc's pivot_root(".", ".") trick: no put_old directory in the rootfs.
// The old root ends up stacked on the new one; we step into it through a
// dirfd taken before the pivot, make it a slave so the detach does not
// propagate to the host, and lazily unmount it.
int op_pivot_root(Ctx& c, ArgReader&, ErrorRecord* err) {
  if (need_rootfs(c, "pivot_root", err) < 0) return -1;
  int old_root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (old_root < 0) return sys_error(err, "open", "/");
  int rc = -1;
  if (fchdir(c.root_fd) < 0) sys_error(err, "fchdir", "rootfs");
  else if (sys_pivot_root(".", ".") < 0) sys_error(err, "pivot_root", ".");
  else if (fchdir(old_root) < 0) sys_error(err, "fchdir", "old root");
  else if (mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) < 0) sys_error(err, "mount", "old root");
  else if (umount2(".", MNT_DETACH) < 0) sys_error(err, "umount2", "old root");
  else if (chdir("/") < 0) sys_error(err, "chdir", "/");
  else rc = 0;
  close(old_root);
  return rc < 0 ? -1 : reopen_root(c, err);
}

// --no-pivot: move the rootfs mount over "/" and chroot into it.
int op_chroot_move(Ctx& c, ArgReader&, ErrorRecord* err) {
  if (need_rootfs(c, "chroot", err) < 0) return -1;
  if (fchdir(c.root_fd) < 0) return sys_error(err, "fchdir", "rootfs");
  if (mount(".", "/", nullptr, MS_MOVE, nullptr) < 0) return sys_error(err, "mount", "/");
  if (chroot(".") < 0) return sys_error(err, "chroot", ".");
  if (chdir("/") < 0) return sys_error(err, "chdir", "/");
  return reopen_root(c, err);
}

}  // namespace tsoci
