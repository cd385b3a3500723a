// CONSOLE: the container's terminal (process.terminal). The pty comes from
// the container's own devpts instance, reached in-root and verified by its
// superblock; the peer comes from TIOCGPTPEER on the master, never from a
// /dev/pts/N path the container could swap for a symlink, and /dev/console
// is a file we just created (CVE-2025-52565). The master leaves for the
// runtime on the sync socket; the peer becomes the controlling terminal
// and fds 0-2 (runc's setupConsole + Setctty).
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "init/error.h"
#include "init/fd_passing.h"
#include "init/inroot.h"
#include "init/ops.h"
#include "init/procfs.h"

namespace tsoci {
namespace {

// Unix98 pty peers have majors 136-143; a devpts ptmx is 5:2.
constexpr unsigned kPtsMajorFirst = 136, kPtsMajorLast = 143;
constexpr unsigned kPtmxMajor = 5, kPtmxMinor = 2;

bool on_devpts(int fd) {
  struct statfs sf;
  return fstatfs(fd, &sf) == 0 && sf.f_type == DEVPTS_SUPER_MAGIC;
}

// The ptmx of the devpts at in-root `path`, opened O_RDWR only once the
// O_PATH handle proved to be that node (opening an arbitrary device or
// fifo could block or have side effects).
int open_ptmx(Ctx& c, const char* path, ErrorRecord* err) {
  int pathfd = inroot_open(c, path, O_PATH, 0, err);
  if (pathfd < 0) return -1;
  struct stat st;
  if (fstat(pathfd, &st) < 0) {
    close(pathfd);
    return sys_error(err, "fstat", path);
  }
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != kPtmxMajor || minor(st.st_rdev) != kPtmxMinor ||
      !on_devpts(pathfd)) {
    close(pathfd);
    return detail_error(err, ENODEV, "fstatfs", path, "%s is not the ptmx of a devpts mount", path);
  }
  int proc = procfs_fd(c, err);
  int fd = -1;
  if (proc >= 0) {
    char self_fd[32];
    snprintf(self_fd, sizeof self_fd, "self/fd/%d", pathfd);
    fd = openat(proc, self_fd, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) sys_error(err, "open", path);
  }
  close(pathfd);
  return fd;
}

// Unlocks the pair and opens the peer from the master itself; `name`
// gets its /dev/pts/N (what runc's console socket payload names).
int open_peer(int master, const char* ptmx, char* name, size_t cap, ErrorRecord* err) {
  int unlock = 0;
  if (ioctl(master, TIOCSPTLCK, &unlock) < 0) return sys_error(err, "ioctl(TIOCSPTLCK)", ptmx);
  unsigned n = 0;
  if (ioctl(master, TIOCGPTN, &n) < 0) return sys_error(err, "ioctl(TIOCGPTN)", ptmx);
  snprintf(name, cap, "/dev/pts/%u", n);
  int peer = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (peer < 0) return sys_error(err, "ioctl(TIOCGPTPEER)", name);
  struct stat st;
  if (fstat(peer, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) < kPtsMajorFirst ||
      major(st.st_rdev) > kPtsMajorLast || !on_devpts(peer)) {
    close(peer);
    return detail_error(err, ENODEV, "fstat", name, "the pty peer %s is not a devpts terminal", name);
  }
  return peer;
}

// Removes whatever non-directory is at `name` in `dir`; 0 once nothing is.
int clear_entry(int dir, const char* name, const char* path, ErrorRecord* err) {
  struct stat st;
  if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return errno == ENOENT ? 0 : sys_error(err, "fstatat", path);
  if (S_ISDIR(st.st_mode)) return detail_error(err, EEXIST, "mknodat", path, "a directory is in the way");
  if (unlinkat(dir, name, 0) < 0) return sys_error(err, "unlinkat", path);
  return 0;
}

// The file we just made: regular, on the parent's filesystem, one link, empty.
bool is_fresh_file(int fd, int dir) {
  struct stat st, dst;
  return fstat(fd, &st) == 0 && fstat(dir, &dst) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 &&
         st.st_size == 0 && st.st_dev == dst.st_dev;
}

// A fresh empty regular file at in-root `path`, opened O_PATH and checked
// to be the one we created: a racing swap to a symlink, a device or a link
// to another file fails instead of becoming the bind target.
int fresh_mount_point(Ctx& c, const char* path, ErrorRecord* err) {
  char name[kNameBuf];
  int dir = inroot_parent(c, path, name, err);
  if (dir < 0) return -1;
  int fd = -1;
  if (clear_entry(dir, name, path, err) == 0) {
    if (mknodat(dir, name, S_IFREG | 0600, 0) < 0) sys_error(err, "mknodat", path);
    else if ((fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) sys_error(err, "openat", path);
  }
  if (fd >= 0 && !is_fresh_file(fd, dir)) {
    close(fd);
    fd = detail_error(err, EXDEV, "fstat", path, "%s changed while it was created", path);
  }
  close(dir);
  return fd;
}

int bind_console(Ctx& c, int peer, const char* path, ErrorRecord* err) {
  int target = fresh_mount_point(c, path, err);
  if (target < 0) return -1;
  MountRequest m{nullptr, peer, target, nullptr, MS_BIND, nullptr, path};
  int rc = mount_at_fds(c, m, err);
  close(target);
  return rc;
}

// The peer becomes the controlling terminal and fds 0-2. After FORK_PIDNS
// we are not a session leader (TIOCSCTTY needs one): start a session.
int become_stdio(int peer, const char* name, ErrorRecord* err) {
  if (getsid(0) != getpid() && setsid() < 0) return sys_error(err, "setsid", nullptr);
  if (ioctl(peer, TIOCSCTTY, 0) < 0) return sys_error(err, "ioctl(TIOCSCTTY)", name);
  for (int fd = 0; fd <= 2; ++fd)
    if (dup3(peer, fd, 0) < 0) return sys_error(err, "dup3", name);
  return 0;
}

int set_up_console(Ctx& c, int master, const char* ptmx, const char* console, const struct winsize& ws, int64_t uid,
                   ErrorRecord* err) {
  char name[32];
  int peer = open_peer(master, ptmx, name, sizeof name, err);
  if (peer < 0) return -1;
  int rc = 0;
  if (ws.ws_row && ws.ws_col && ioctl(master, TIOCSWINSZ, &ws) < 0) rc = sys_error(err, "ioctl(TIOCSWINSZ)", name);
  // The process's own user must be able to use its terminal (runc's fixStdioPermissions).
  if (rc == 0 && uid >= 0 && fchown(peer, static_cast<uid_t>(uid), static_cast<gid_t>(-1)) < 0)
    rc = sys_error(err, "fchown", name);
  if (rc == 0 && console[0] && bind_console(c, peer, console, err) < 0) rc = -1;
  if (rc == 0 && frame_write_fd(c.sync_fd, FRAME_CONSOLE, name, static_cast<uint32_t>(strlen(name)), master) < 0)
    rc = sys_error(err, "sendmsg", "sync socket");
  if (rc == 0) rc = become_stdio(peer, name, err);
  if (peer > 2) close(peer);
  return rc;
}

// exec has no ROOTFS: having joined the container's mount namespace, our
// root is the container's, and in-root resolution stays under it.
int ensure_root(Ctx& c, ErrorRecord* err) {
  if (c.root_fd >= 0) return 0;
  int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return sys_error(err, "open", "/");
  c.root_fd = fd;
  return 0;
}

}  // namespace

int op_console(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* ptmx = a.str();
  const char* console = a.str();
  int64_t rows = a.num();
  int64_t cols = a.num();
  int64_t uid = a.num();
  if (rows < 0 || rows > 0xffff || cols < 0 || cols > 0xffff)
    return detail_error(err, EINVAL, "ioctl(TIOCSWINSZ)", "", "console size %lldx%lld out of range",
                        static_cast<long long>(cols), static_cast<long long>(rows));
  if (uid < -1 || uid > 0xfffffffe) return detail_error(err, EINVAL, "fchown", "", "uid %lld out of range", static_cast<long long>(uid));
  struct winsize ws = {};
  ws.ws_row = static_cast<unsigned short>(rows);
  ws.ws_col = static_cast<unsigned short>(cols);
  if (ensure_root(c, err) < 0) return -1;
  int master = open_ptmx(c, ptmx, err);
  if (master < 0) return -1;
  int rc = set_up_console(c, master, ptmx, console, ws, uid, err);
  close(master);
  return rc;
}

}  // namespace tsoci
