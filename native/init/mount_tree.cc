#include "init/mount_tree.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>

#include "init/error.h"

namespace tsoci {
namespace {

constexpr uint64_t kAtimeMask = MOUNT_ATTR__ATIME;
constexpr uint64_t kRemountable =
    MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NODIRATIME;

// MS_* of a bind remount -> mount_setattr's set/clear masks. A remount sets
// exactly the given flags and clears the others (atime defaults to relatime).
struct mount_attr remount_attr(unsigned long ms) {
  struct mount_attr a = {};
  if (ms & MS_RDONLY) a.attr_set |= MOUNT_ATTR_RDONLY;
  if (ms & MS_NOSUID) a.attr_set |= MOUNT_ATTR_NOSUID;
  if (ms & MS_NODEV) a.attr_set |= MOUNT_ATTR_NODEV;
  if (ms & MS_NOEXEC) a.attr_set |= MOUNT_ATTR_NOEXEC;
  if (ms & MS_NODIRATIME) a.attr_set |= MOUNT_ATTR_NODIRATIME;
  if (ms & MS_NOATIME) a.attr_set |= MOUNT_ATTR_NOATIME;
  else if (ms & MS_STRICTATIME) a.attr_set |= MOUNT_ATTR_STRICTATIME;
  else a.attr_set |= MOUNT_ATTR_RELATIME;
  a.attr_clr = (kRemountable & ~a.attr_set) | kAtimeMask;
  return a;
}

// The flags a mount must keep (the kernel refuses to clear locked ones,
// e.g. of mounts inherited from a more privileged namespace).
int locked_attrs(int fd, const char* display, uint64_t* out, ErrorRecord* err) {
  struct statvfs st;
  if (fstatvfs(fd, &st) < 0) return sys_error(err, "fstatvfs", display);
  *out = 0;
  if (st.f_flag & ST_NOSUID) *out |= MOUNT_ATTR_NOSUID;
  if (st.f_flag & ST_NODEV) *out |= MOUNT_ATTR_NODEV;
  if (st.f_flag & ST_NOEXEC) *out |= MOUNT_ATTR_NOEXEC;
  if (st.f_flag & ST_RDONLY) *out |= MOUNT_ATTR_RDONLY;
  // atime is locked too in a less privileged mount namespace (MNT_LOCK_ATIME).
  if (st.f_flag & ST_NOATIME) *out |= MOUNT_ATTR_NOATIME;
  else if (st.f_flag & ST_RELATIME) *out |= MOUNT_ATTR_RELATIME;
  else *out |= MOUNT_ATTR_STRICTATIME;
  if (st.f_flag & ST_NODIRATIME) *out |= MOUNT_ATTR_NODIRATIME;
  return 0;
}

int setattr(int tree, unsigned flags, struct mount_attr* a, const char* display, ErrorRecord* err) {
  if (mount_setattr(tree, "", AT_EMPTY_PATH | flags, a, sizeof *a) < 0) return sys_error(err, "mount_setattr", display);
  return 0;
}

int set_remount_flags(int tree, unsigned long flags, const char* display, ErrorRecord* err) {
  struct mount_attr a = remount_attr(flags);
  if (mount_setattr(tree, "", AT_EMPTY_PATH, &a, sizeof a) == 0) return 0;
  if (errno != EPERM) return sys_error(err, "mount_setattr", display);
  uint64_t locked = 0;
  if (locked_attrs(tree, display, &locked, err) < 0) return -1;
  a.attr_set |= locked & (MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  // The source's atime replaces the asked one (only one atime mode can be set).
  a.attr_set = (a.attr_set & ~(kAtimeMask | MOUNT_ATTR_NODIRATIME)) | (locked & (kAtimeMask | MOUNT_ATTR_NODIRATIME));
  a.attr_clr &= ~a.attr_set;
  return setattr(tree, 0, &a, display, err);
}

int move_onto(int tree, int target_fd, const char* display, ErrorRecord* err) {
  if (move_mount(tree, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
    return sys_error(err, "move_mount", display);
  return 0;
}

int clone_tree(int fd, bool recursive, const char* display, ErrorRecord* err) {
  int tree = open_tree(fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0));
  if (tree < 0) return sys_error(err, "open_tree", display);
  return tree;
}

int bind_steps(int tree, const BindTree& b, ErrorRecord* err) {
  // A bind ignores every flag but MS_REC: they are the remount of its top mount.
  if ((b.flags & ~(MS_BIND | MS_REC)) && set_remount_flags(tree, b.flags, b.display, err) < 0) return -1;
  if (b.rec_attr_set) {
    struct mount_attr a = {};
    a.attr_set = b.rec_attr_set;
    if (setattr(tree, AT_RECURSIVE, &a, b.display, err) < 0) return -1;
  }
  if (move_onto(tree, b.target_fd, b.display, err) < 0) return -1;
  // Propagation once attached: a detached tree has no peer group to join.
  if (b.propagation) {
    struct mount_attr a = {};
    a.propagation = static_cast<uint64_t>(b.propagation) & ~static_cast<uint64_t>(MS_REC);
    if (setattr(tree, (b.propagation & MS_REC) ? AT_RECURSIVE : 0, &a, b.display, err) < 0) return -1;
  }
  return 0;
}

}  // namespace

int bind_tree(const BindTree& b, ErrorRecord* err) {
  int tree = clone_tree(b.source_fd, b.recursive, b.display, err);
  if (tree < 0) return -1;
  int rc = bind_steps(tree, b, err);
  close(tree);
  return rc;
}

int attach_tree(int tree, const BindTree& b, ErrorRecord* err) {
  return bind_steps(tree, b, err);
}

int remount_fd(int target_fd, unsigned long flags, const char* display, ErrorRecord* err) {
  struct statx st;
  if (statx(target_fd, "", AT_EMPTY_PATH, 0, &st) < 0) return sys_error(err, "statx", display);
  if (!(st.stx_attributes & STATX_ATTR_MOUNT_ROOT))
    return detail_error(err, EINVAL, "mount_setattr", display, "remount of %s: not a mount point", display);
  return set_remount_flags(target_fd, flags, display, err);
}

int readonly_tree(int target_fd, const char* display, ErrorRecord* err) {
  int tree = clone_tree(target_fd, true, display, err);
  if (tree < 0) return -1;
  struct mount_attr a = {};
  a.attr_set = MOUNT_ATTR_RDONLY;
  int rc = setattr(tree, 0, &a, display, err);
  if (rc == 0) rc = move_onto(tree, target_fd, display, err);
  close(tree);
  return rc;
}

}  // namespace tsoci
