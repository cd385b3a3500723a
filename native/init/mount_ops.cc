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
#include "init/mountinfo.h"
#include "init/ops.h"
#include "init/mount_tree.h"
#include "init/proc_mounts.h"
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

struct MountArgs {
  const char* source;
  const char* dest;
  const char* fstype;
  unsigned long flags;
  const char* data;
  int64_t propagation;
  int64_t rec_attr_set;
};

// The bind as a detached tree (mount_tree.h): flags, recursive attributes
// and propagation all go to its own descriptor, never to `dest` again.
static int bind_mount(Ctx& c, const MountArgs& m, ErrorRecord* err) {
  bool is_dir = true;
  int src = open_bind_source(m.source, &is_dir, err);
  if (src < 0) return -1;
  int rc = check_proc_source(src, m.source, m.dest, err);
  int target = -1;
  if (rc == 0) {
    target = is_dir ? inroot_mkdirs(c, m.dest, err) : inroot_mkfile(c, m.dest, err);
    rc = target < 0 ? -1 : check_proc_target(m.dest, true, src, target, err);
  }
  if (rc == 0) {
    BindTree b{src, target, (m.flags & MS_REC) != 0, m.flags, m.propagation,
               static_cast<uint64_t>(m.rec_attr_set), m.dest};
    rc = bind_tree(b, err);
  }
  if (target >= 0) close(target);
  close(src);
  return rc;
}

// The mount a fresh filesystem mount put on `target`: looked up by its own
// name from the directory holding the mount point (one component, no
// symlinks), and checked to be a new mount root, not the covered directory.
static int open_new_mount(Ctx& c, int target, const char* dest, ErrorRecord* err) {
  char name[kNameBuf];
  if (procfs_fd_basename(c, target, name, sizeof name, err) < 0) return -1;
  int parent = openat(target, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (parent < 0) return sys_error(err, "openat", dest);
  int top = sys_openat2(parent, name, O_PATH | O_CLOEXEC, RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH);
  close(parent);
  if (top < 0) return sys_error(err, "openat2", dest);
  struct statx below, above;
  if (statx(target, "", AT_EMPTY_PATH, STATX_MNT_ID, &below) < 0 || statx(top, "", AT_EMPTY_PATH, STATX_MNT_ID, &above) < 0 ||
      below.stx_mnt_id == above.stx_mnt_id || !(above.stx_attributes & STATX_ATTR_MOUNT_ROOT)) {
    close(top);
    return detail_error(err, EIO, "statx", dest, "the new mount on %s is not where it was made", dest);
  }
  return top;
}

static int set_mount_attrs(int top, const MountArgs& m, ErrorRecord* err) {
  int rc = 0;
  if (m.propagation) {
    struct mount_attr attr = {};
    attr.propagation = static_cast<uint64_t>(m.propagation) & ~static_cast<uint64_t>(MS_REC);
    rc = mount_setattr(top, "", AT_EMPTY_PATH | ((m.propagation & MS_REC) ? AT_RECURSIVE : 0), &attr, sizeof attr);
  }
  if (rc == 0 && m.rec_attr_set) {
    struct mount_attr attr = {};
    attr.attr_set = static_cast<uint64_t>(m.rec_attr_set);
    rc = mount_setattr(top, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr);
  }
  return rc < 0 ? sys_error(err, "mount_setattr", m.dest) : 0;
}

// MS_REMOUNT of an existing mount (the cgroup tmpfs made read-only after
// its hierarchies are in): on the descriptor of the mount found at `dest`.
// Only a remount with filesystem data still needs mount(2).
static int remount(Ctx& c, const MountArgs& m, ErrorRecord* err) {
  int target = inroot_open(c, m.dest, O_PATH, 0, err);
  if (target < 0) return -1;
  int rc = check_proc_target(m.dest, false, -1, target, err);
  if (rc == 0) rc = remount_fd(target, m.flags & ~MS_REMOUNT, m.dest, err);
  close(target);
  return rc;
}

static int fs_mount(Ctx& c, const MountArgs& m, ErrorRecord* err) {
  if ((m.flags & MS_REMOUNT) && !*m.data) return remount(c, m, err);
  bool strict = !strcmp(m.fstype, "proc") || !strcmp(m.fstype, "sysfs");
  int target = strict ? open_real_dir(c, m.dest, m.fstype, err) : inroot_mkdirs(c, m.dest, err);
  if (target < 0) return -1;
  int rc = check_proc_target(m.dest, false, -1, target, err);
  if (rc == 0) {
    MountRequest req{m.source, -1, target, m.fstype, m.flags, *m.data ? m.data : nullptr, m.dest};
    rc = mount_at_fds(c, req, err);
  }
  if (rc == 0 && (m.propagation || m.rec_attr_set)) {
    int top = open_new_mount(c, target, m.dest, err);
    rc = top < 0 ? -1 : set_mount_attrs(top, m, err);
    if (top >= 0) close(top);
  }
  close(target);
  return rc;
}

int op_mount(Ctx& c, ArgReader& a, ErrorRecord* err) {
  MountArgs m;
  m.source = a.str();
  m.dest = a.str();
  m.fstype = a.str();
  m.flags = static_cast<unsigned long>(a.num());
  m.data = a.str();
  m.propagation = a.num();
  m.rec_attr_set = a.num();
  bool bind = (m.flags & MS_BIND) != 0;
  if (check_proc_dest(m.dest, bind, m.fstype, err) < 0) return -1;
  return bind ? bind_mount(c, m, err) : fs_mount(c, m, err);
}

}  // namespace tsoci

namespace tsoci {

// A detached tree the runtime made (an idmapped bind: mount_setattr
// MOUNT_ATTR_IDMAP needs privilege over the source filesystem, which root
// inside a user namespace lacks) and passed at `fd`: checked to be a
// detached mount root, then attached as MOUNT attaches a bind.
int op_mount_fd(Ctx& c, ArgReader& a, ErrorRecord* err) {
  int64_t fd = a.num();
  MountArgs m{"", a.str(), "bind", 0, "", 0, 0};
  m.flags = static_cast<unsigned long>(a.num());
  m.propagation = a.num();
  m.rec_attr_set = a.num();
  if (fd < 3 || fd > 1024)
    return detail_error(err, EBADF, "move_mount", m.dest, "mount fd %lld is out of range", static_cast<long long>(fd));
  int tree = static_cast<int>(fd);
  struct statx st;
  if (statx(tree, "", AT_EMPTY_PATH, STATX_TYPE, &st) < 0) return sys_error(err, "statx", m.dest);
  if (!(st.stx_attributes & STATX_ATTR_MOUNT_ROOT))
    return detail_error(err, EINVAL, "move_mount", m.dest, "fd %lld is not a mount", static_cast<long long>(fd));
  if (check_proc_dest(m.dest, true, m.fstype, err) < 0) return -1;
  bool is_dir = S_ISDIR(st.stx_mode);
  int target = is_dir ? inroot_mkdirs(c, m.dest, err) : inroot_mkfile(c, m.dest, err);
  int rc = target < 0 ? -1 : check_proc_target(m.dest, true, tree, target, err);
  if (rc == 0) {
    BindTree b{-1, target, true, m.flags, m.propagation, static_cast<uint64_t>(m.rec_attr_set), m.dest};
    rc = attach_tree(tree, b, err);
  }
  if (target >= 0) close(target);
  close(tree);
  return rc;
}

}  // namespace tsoci
