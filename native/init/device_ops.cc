// MKNOD, BIND_DEV and SYMLINK: the container's /dev.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>

#include "init/error.h"
#include "init/inroot.h"
#include "init/ops.h"
#include "init/procfs.h"

namespace tsoci {

// An existing node (or image symlink) at a device path is replaced; a
// directory is not, since removing it could lose data.
static int remove_non_dir(int dir, const char* name, const char* path, ErrorRecord* err) {
  struct stat st;
  if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return sys_error(err, "fstatat", path);
  if (S_ISDIR(st.st_mode)) return detail_error(err, EEXIST, "mknodat", path, "a directory is in the way");
  if (unlinkat(dir, name, 0) < 0) return sys_error(err, "unlinkat", path);
  return 0;
}

// mknodat with umask 0, so the mode is exactly what the config says.
static int make_node(int dir, const char* name, mode_t mode, dev_t dev, const char* path, ErrorRecord* err) {
  mode_t old = umask(0);
  int rc = mknodat(dir, name, mode, dev);
  if (rc < 0 && errno == EEXIST) {
    rc = remove_non_dir(dir, name, path, err);
    if (rc == 0 && mknodat(dir, name, mode, dev) < 0) rc = sys_error(err, "mknodat", path);
  } else if (rc < 0) {
    rc = sys_error(err, "mknodat", path);
  }
  umask(old);
  return rc;
}

int op_mknod(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* path = a.str();
  mode_t type = static_cast<mode_t>(a.num());
  mode_t mode = static_cast<mode_t>(a.num());
  unsigned major_no = static_cast<unsigned>(a.num());
  unsigned minor_no = static_cast<unsigned>(a.num());
  uid_t uid = static_cast<uid_t>(a.num());
  gid_t gid = static_cast<gid_t>(a.num());
  type &= S_IFMT;
  if (type != S_IFCHR && type != S_IFBLK && type != S_IFIFO)
    return detail_error(err, EINVAL, "mknodat", path, "device type %#o is not c, b or p", type);
  char name[kNameBuf];
  int dir = inroot_parent(c, path, name, err);
  if (dir < 0) return -1;
  int rc = make_node(dir, name, type | (mode & 07777), makedev(major_no, minor_no), path, err);
  if (rc == 0 && fchownat(dir, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0) rc = sys_error(err, "fchownat", path);
  close(dir);
  return rc;
}

static int open_host_device(const char* hostpath, ErrorRecord* err) {
  int fd = open(hostpath, O_PATH | O_CLOEXEC);
  if (fd < 0) return sys_error(err, "open", hostpath);
  struct stat st;
  if (fstat(fd, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
    close(fd);
    return detail_error(err, ENODEV, "fstat", hostpath, "%s is not a device", hostpath);
  }
  return fd;
}

// Opens (creating) an empty regular file at in-root `path` as the mount
// point, never following a symlink in its last component.
static int device_mount_point(Ctx& c, const char* path, ErrorRecord* err) {
  char name[kNameBuf];
  int dir = inroot_parent(c, path, name, err);
  if (dir < 0) return -1;
  int rc = make_node(dir, name, S_IFREG | 0600, 0, path, err);
  int fd = rc < 0 ? -1 : openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (rc == 0 && fd < 0) sys_error(err, "openat", path);
  close(dir);
  return fd;
}

int op_bind_dev(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* path = a.str();
  const char* hostpath = a.str();
  int src = open_host_device(hostpath, err);
  if (src < 0) return -1;
  int target = device_mount_point(c, path, err);
  int rc = -1;
  if (target >= 0) {
    MountRequest m{nullptr, src, target, nullptr, MS_BIND, nullptr, path};
    rc = mount_at_fds(c, m, err);
    close(target);
  }
  close(src);
  return rc;
}

int op_symlink(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* target = a.str();
  const char* path = a.str();
  char name[kNameBuf];
  int dir = inroot_parent(c, path, name, err);
  if (dir < 0) return -1;
  int rc = 0;
  if (symlinkat(target, dir, name) < 0 && errno != EEXIST) rc = sys_error(err, "symlinkat", path);
  close(dir);
  return rc;
}

}  // namespace tsoci
