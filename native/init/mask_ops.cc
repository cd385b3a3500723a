// MASK, READONLY and REMOUNT_ROOT_RO.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "init/error.h"
#include "init/inroot.h"
#include "init/mount_tree.h"
#include "init/ops.h"
#include "init/procfs.h"
#include "init/sys.h"

namespace tsoci {

// The /dev/null of the current root: the host's before pivot, the
// container's after, which must then really be the null device: a
// symlink or a look-alike would bind something writable over the
// masked path (CVE-2025-31133).
static int open_dev_null(ErrorRecord* err) {
  int fd = sys_openat2(AT_FDCWD, "/dev/null", O_PATH | O_CLOEXEC, RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
  if (fd < 0) return sys_error(err, "openat2", "/dev/null");
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
    close(fd);
    return detail_error(err, EINVAL, "fstat", "/dev/null", "/dev/null is not the null device (char 1:3)");
  }
  return fd;
}

// Opens an in-root path that may legitimately be missing: 1 = opened, 0 = missing.
static int open_optional(Ctx& c, const char* path, int* fd, ErrorRecord* err) {
  *fd = inroot_open(c, path, O_PATH, 0, err);
  if (*fd >= 0) return 1;
  return err->err == ENOENT ? 0 : -1;
}

int op_mask(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* path = a.str();
  int target;
  int found = open_optional(c, path, &target, err);
  if (found <= 0) return found;
  struct stat st;
  if (fstat(target, &st) < 0) {
    sys_error(err, "fstat", path);
    close(target);
    return -1;
  }
  int rc;
  if (S_ISDIR(st.st_mode)) {
    MountRequest m{"tmpfs", -1, target, "tmpfs", MS_RDONLY, nullptr, path};
    rc = mount_at_fds(c, m, err);
  } else {
    int null = open_dev_null(err);
    rc = null;
    if (null >= 0) {
      MountRequest m{nullptr, null, target, nullptr, MS_BIND, nullptr, path};
      rc = mount_at_fds(c, m, err);
      close(null);
    }
  }
  close(target);
  return rc < 0 ? -1 : 0;
}

// The tree at the path cloned, made read-only on its top mount (nosuid and
// the rest stay) and moved back over itself: one resolution of the path,
// the remount on the clone's own descriptor (mount_tree.h).
int op_readonly(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* path = a.str();
  int target;
  int found = open_optional(c, path, &target, err);
  if (found <= 0) return found;
  int rc = readonly_tree(target, path, err);
  close(target);
  return rc;
}

// On the root mount's own descriptor, not on "/" looked up again.
int op_remount_root_ro(Ctx&, ArgReader&, ErrorRecord* err) {
  int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return sys_error(err, "open", "/");
  struct mount_attr attr = {};
  attr.attr_set = MOUNT_ATTR_RDONLY;
  int rc = mount_setattr(root, "", AT_EMPTY_PATH, &attr, sizeof attr);
  if (rc < 0) sys_error(err, "mount_setattr", "/");
  close(root);
  return rc;
}

}  // namespace tsoci
