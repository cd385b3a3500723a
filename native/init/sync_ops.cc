// SYNC, FIFO_OPEN and CREATED: the conversation with the runtime.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "init/error.h"
#include "init/frame.h"
#include "init/ops.h"
#include "init/procfs.h"

namespace tsoci {

int op_sync(Ctx& c, ArgReader& a, ErrorRecord* err) {
  int64_t tag = a.num();
  if (frame_write(c.sync_fd, FRAME_SYNC, &tag, sizeof tag) < 0) return sys_error(err, "send", "sync socket");
  uint32_t type = 0, len = 0;
  char* payload = nullptr;
  int r = frame_read(c.sync_fd, &type, &payload, &len, 4096);
  if (r == 0) _exit(1);  // the runtime is gone: nobody to report to
  if (r < 0) return sys_error(err, "read", "sync socket");
  free(payload);
  if (type != FRAME_ACK)
    return detail_error(err, EPROTO, "read", "sync socket", "expected an ACK frame, got type %u", type);
  return 0;
}

// The fd directory of a fresh procfs limited to process directories
// (subset=pid): the one procfs handle the waiting init keeps, to reopen the
// fifo through its self/fd/N magic link. Neither it nor anything reached
// from it by ".." shows /proc/sys, kcore or sysrq-trigger, nor (without a
// pid namespace) a host process it could not ptrace.
static int open_own_fd_dir(ErrorRecord* err) {
  int fs = fsopen("proc", FSOPEN_CLOEXEC);
  if (fs < 0) return sys_error(err, "fsopen", "proc");
  int mnt = -1;
  if (fsconfig(fs, FSCONFIG_SET_STRING, "subset", "pid", 0) < 0) sys_error(err, "fsconfig", "proc subset=pid");
  else if (fsconfig(fs, FSCONFIG_SET_STRING, "hidepid", "ptraceable", 0) < 0)
    sys_error(err, "fsconfig", "proc hidepid=ptraceable");
  else if (fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) sys_error(err, "fsconfig", "proc");
  else if ((mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC)) < 0)
    sys_error(err, "fsmount", "proc");
  close(fs);
  if (mnt < 0) return -1;
  int dir = openat(mnt, "self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) sys_error(err, "openat", "proc self/fd");
  close(mnt);
  return dir;
}

int op_fifo_open(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* path = a.str();
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return sys_error(err, "open", path);
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
    close(fd);
    return detail_error(err, EINVAL, "open", path, "exec fifo %s is not a fifo", path);
  }
  // Made now, while the helper may still mount: CREATED runs without privileges.
  int dir = open_own_fd_dir(err);
  if (dir < 0) {
    close(fd);
    return -1;
  }
  if (c.fifo_path_fd >= 0) close(c.fifo_path_fd);
  if (c.fifo_dir_fd >= 0) close(c.fifo_dir_fd);
  c.fifo_path_fd = fd;
  c.fifo_dir_fd = dir;
  return 0;
}

// The fifo the runtime opened O_PATH and passed at `fd` (user namespaces:
// the container's root cannot search the state directory, as in runc,
// which passes the fifo the same way).
int op_fifo_fd(Ctx& c, ArgReader& a, ErrorRecord* err) {
  int64_t fd = a.num();
  if (fd < 3 || fd > 1024)
    return detail_error(err, EBADF, "fcntl", "exec.fifo", "exec fifo fd %lld is out of range", static_cast<long long>(fd));
  struct stat st;
  int flags = fcntl(static_cast<int>(fd), F_GETFL);
  if (flags < 0 || fstat(static_cast<int>(fd), &st) < 0) return sys_error(err, "fstat", "exec.fifo");
  if (!S_ISFIFO(st.st_mode) || !(flags & O_PATH))
    return detail_error(err, EINVAL, "fstat", "exec.fifo", "fd %lld is not an O_PATH fd of a fifo", static_cast<long long>(fd));
  if (fcntl(static_cast<int>(fd), F_SETFD, FD_CLOEXEC) < 0) return sys_error(err, "fcntl", "exec.fifo");
  int dir = open_own_fd_dir(err);
  if (dir < 0) return -1;
  if (c.fifo_path_fd >= 0 && c.fifo_path_fd != fd) close(c.fifo_path_fd);
  if (c.fifo_dir_fd >= 0) close(c.fifo_dir_fd);
  c.fifo_path_fd = static_cast<int>(fd);
  c.fifo_dir_fd = dir;
  return 0;
}

// After FRAME_CREATED the runtime exits; we block in open() until `start`
// opens the read end. While waiting (maybe for days) the init holds only
// stdio, the fifo's O_PATH handle and its own fd directory: the sync
// socket, the rootfs dirfd and the full private procfs are closed first.
// The write end stays CLOEXEC; EXEC writes EXEC_MARKER to it last.
int op_created(Ctx& c, ArgReader&, ErrorRecord* err) {
  if (c.fifo_path_fd < 0 || c.fifo_dir_fd < 0)
    return detail_error(err, EINVAL, "open", "exec.fifo", "CREATED without FIFO_OPEN");
  int fd_dir = c.fifo_dir_fd;
  c.fifo_dir_fd = -1;
  if (frame_write(c.sync_fd, FRAME_CREATED, nullptr, 0) < 0) {
    close(fd_dir);
    return sys_error(err, "send", "sync socket");
  }
  // From here on errors go to the fifo, once `start` opens it.
  c.created = true;
  close(c.sync_fd);
  c.sync_fd = -1;
  procfs_invalidate(c);
  if (c.root_fd >= 0) close(c.root_fd);
  c.root_fd = -1;
  char name[16];
  snprintf(name, sizeof name, "%d", c.fifo_path_fd);
  int fd;
  do fd = openat(fd_dir, name, O_WRONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  int saved = errno;
  close(fd_dir);
  close(c.fifo_path_fd);
  c.fifo_path_fd = -1;
  if (fd < 0) return errno_error(err, saved, "open", "exec.fifo");
  c.fifo_fd = fd;
  return 0;
}

}  // namespace tsoci
