// ROOT_PROPAGATION, ROOTFS and MOUNT.
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "init/error.h"
#include "init/inroot.h"
#include "init/mount_flags.h"
#include "init/mountinfo.h"
#include "init/ops.h"
#include "init/procfs.h"
#include "init/sys.h"

namespace tsoci {

int op_root_propagation(Ctx&, ArgReader& a, ErrorRecord* err) {
  unsigned long flags = static_cast<unsigned long>(a.num());
  if (mount(nullptr, "/", nullptr, MS_REC | flags, nullptr) < 0) return sys_error(err, "mount", "/");
  return 0;
}

static int make_mount_private(int fd, const char* path, ErrorRecord* err) {
  int root = open_mount_root(fd, path, err);
  if (root < 0) return -1;
  struct mount_attr attr = {};
  attr.propagation = MS_PRIVATE;
  int rc = mount_setattr(root, "", AT_EMPTY_PATH, &attr, sizeof attr);
  if (rc < 0) sys_error(err, "mount_setattr", path);
  close(root);
  return rc;
}

// pivot_root and MS_MOVE refuse a new root whose parent mount is shared.
static int make_parent_private(Ctx& c, const char* path, ErrorRecord* err) {
  int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sys_error(err, "open", path);
  bool shared = false;
  int rc = mount_is_shared(c, fd, path, &shared, err);
  if (rc == 0 && shared) rc = make_mount_private(fd, path, err);
  close(fd);
  return rc;
}

int op_rootfs(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* path = a.str();
  if (make_parent_private(c, path, err) < 0) return -1;
  if (mount(path, path, nullptr, MS_BIND | MS_REC, nullptr) < 0) return sys_error(err, "mount", path);
  int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return sys_error(err, "open", path);
  if (fchdir(root) < 0) {
    sys_error(err, "fchdir", path);
    close(root);
    return -1;
  }
  if (c.root_fd >= 0) close(c.root_fd);
  c.root_fd = root;
  return 0;
}

// proc and sysfs must land on an ordinary directory reached without any
// symlink, or procfs could be mounted where the image points it
// (CVE-2019-19921, CVE-2023-27561).
static int open_real_dir(Ctx& c, const char* dest, const char* fstype, ErrorRecord* err) {
  int fd = inroot_open(c, dest, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS, err);
  if (fd < 0 && err->err == ENOENT) {
    int made = inroot_mkdirs(c, dest, err);
    if (made < 0) return -1;
    close(made);
    fd = inroot_open(c, dest, O_PATH | O_DIRECTORY, RESOLVE_NO_SYMLINKS, err);
  }
  if (fd < 0 && (err->err == ELOOP || err->err == ENOTDIR))
    return detail_error(err, err->err, "openat2", dest, "filesystem \"%s\" must be mounted on ordinary directory",
                        fstype);
  return fd;
}

static int open_bind_source(const char* source, bool* is_dir, ErrorRecord* err) {
  int fd = open(source, O_PATH | O_CLOEXEC);
  if (fd < 0) return sys_error(err, "open", source);
  struct stat st;
  if (fstat(fd, &st) < 0) {
    sys_error(err, "fstat", source);
    close(fd);
    return -1;
  }
  *is_dir = S_ISDIR(st.st_mode);
  return fd;
}

// A bind over /proc must bring a procfs: anything else hides the real
// one from the masks and readonly paths that follow (CVE-2019-16884).
static int check_proc_source(int src, const char* source, const char* dest, ErrorRecord* err) {
  if (strcmp(dest, "/proc") != 0) return 0;
  struct statfs st;
  if (fstatfs(src, &st) < 0) return sys_error(err, "fstatfs", source);
  if (st.f_type == PROC_SUPER_MAGIC) return 0;
  return detail_error(err, EINVAL, "fstatfs", source, "\"%s\" cannot be mounted because it is not of type proc", dest);
}

static int bind_mount(Ctx& c, const char* source, const char* dest, unsigned long flags, ErrorRecord* err) {
  bool is_dir = true;
  int src = open_bind_source(source, &is_dir, err);
  if (src < 0) return -1;
  if (check_proc_source(src, source, dest, err) < 0) {
    close(src);
    return -1;
  }
  int target = is_dir ? inroot_mkdirs(c, dest, err) : inroot_mkfile(c, dest, err);
  int rc = -1;
  if (target >= 0) {
    MountRequest m{nullptr, src, target, nullptr, MS_BIND | (flags & MS_REC), nullptr, dest};
    rc = mount_at_fds(c, m, err);
    close(target);
  }
  close(src);
  // A bind ignores every other flag: they take a remount of the new mount.
  if (rc == 0 && (flags & ~(MS_BIND | MS_REC))) rc = remount_bind(c, dest, flags, err);
  return rc;
}

static int fs_mount(Ctx& c, const char* source, const char* dest, const char* fstype, unsigned long flags,
                    const char* data, ErrorRecord* err) {
  bool strict = !strcmp(fstype, "proc") || !strcmp(fstype, "sysfs");
  int target = strict ? open_real_dir(c, dest, fstype, err) : inroot_mkdirs(c, dest, err);
  if (target < 0) return -1;
  MountRequest m{source, -1, target, fstype, flags, *data ? data : nullptr, dest};
  int rc = mount_at_fds(c, m, err);
  close(target);
  return rc;
}

// Propagation and recursive attributes apply to the new top mount, so
// the destination is opened again after the mount.
static int set_mount_attrs(Ctx& c, const char* dest, int64_t propagation, int64_t rec_attr_set, ErrorRecord* err) {
  int fd = inroot_open(c, dest, O_PATH, 0, err);
  if (fd < 0) return -1;
  int rc = 0;
  if (propagation) {
    MountRequest m{nullptr, -1, fd, nullptr, static_cast<unsigned long>(propagation), nullptr, dest};
    rc = mount_at_fds(c, m, err);
  }
  if (rc == 0 && rec_attr_set) {
    struct mount_attr attr = {};
    attr.attr_set = static_cast<uint64_t>(rec_attr_set);
    rc = mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr);
    if (rc < 0) sys_error(err, "mount_setattr", dest);
  }
  close(fd);
  return rc;
}

int op_mount(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* source = a.str();
  const char* dest = a.str();
  const char* fstype = a.str();
  unsigned long flags = static_cast<unsigned long>(a.num());
  const char* data = a.str();
  int64_t propagation = a.num();
  int64_t rec_attr_set = a.num();
  int rc = (flags & MS_BIND) ? bind_mount(c, source, dest, flags, err)
                             : fs_mount(c, source, dest, fstype, flags, data, err);
  if (rc == 0 && (propagation || rec_attr_set)) rc = set_mount_attrs(c, dest, propagation, rec_attr_set, err);
  return rc;
}

}  // namespace tsoci
