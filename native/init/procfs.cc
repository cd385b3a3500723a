#include "init/procfs.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "init/error.h"

namespace tsoci {

static int new_procfs(ErrorRecord* err) {
  int fs = fsopen("proc", FSOPEN_CLOEXEC);
  if (fs < 0) return sys_error(err, "fsopen", "proc");
  if (fsconfig(fs, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) {
    sys_error(err, "fsconfig", "proc");
    close(fs);
    return -1;
  }
  int mnt = fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  if (mnt < 0) sys_error(err, "fsmount", "proc");
  close(fs);
  return mnt;
}

int procfs_fd(Ctx& c, ErrorRecord* err) {
  if (c.proc_fd >= 0) return c.proc_fd;
  int fd = new_procfs(err);
  if (fd < 0) return -1;
  struct statfs st;
  if (fstatfs(fd, &st) < 0) {
    sys_error(err, "fstatfs", "proc");
    close(fd);
    return -1;
  }
  if (st.f_type != PROC_SUPER_MAGIC) {
    close(fd);
    return detail_error(err, EXDEV, "fstatfs", "proc", "private procfs is not a procfs");
  }
  c.proc_fd = fd;
  return fd;
}

bool procfs_relpath_ok(const char* relpath) {
  if (!*relpath || *relpath == '/') return false;
  for (const char* p = relpath;;) {
    const char* end = strchr(p, '/');
    size_t n = end ? static_cast<size_t>(end - p) : strlen(p);
    if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) return false;
    if (!end) return true;
    p = end + 1;
  }
}

int procfs_fd_basename(Ctx& c, int fd, char* out, size_t cap, ErrorRecord* err) {
  int proc = procfs_fd(c, err);
  if (proc < 0) return -1;
  char link[32], target[4096];
  snprintf(link, sizeof link, "self/fd/%d", fd);
  ssize_t n = readlinkat(proc, link, target, sizeof target - 1);
  if (n < 0) return sys_error(err, "readlinkat", link);
  target[n] = '\0';
  const char* base = strrchr(target, '/');
  base = base ? base + 1 : target;
  size_t len = strlen(base);
  if (len == 0 || len >= cap) return detail_error(err, ENAMETOOLONG, "readlinkat", link, "no usable name for %s", target);
  memcpy(out, base, len + 1);
  return 0;
}

void procfs_invalidate(Ctx& c) {
  if (c.proc_fd >= 0) close(c.proc_fd);
  c.proc_fd = -1;
}

int mount_at_fds(Ctx& c, const MountRequest& m, ErrorRecord* err) {
  int proc = procfs_fd(c, err);
  if (proc < 0) return -1;
  char source[32], target[32];
  const char* src = m.source;
  if (m.source_fd >= 0) {
    snprintf(source, sizeof source, "self/fd/%d", m.source_fd);
    src = source;
  }
  snprintf(target, sizeof target, "self/fd/%d", m.target_fd);
  int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cwd < 0) return sys_error(err, "open", ".");
  if (fchdir(proc) < 0) {
    sys_error(err, "fchdir", "proc");
    close(cwd);
    return -1;
  }
  int rc = mount(src, target, m.fstype, m.flags, m.data);
  int saved = errno;
  // Later ops (PIVOT_ROOT, relative paths) rely on the cwd being restored.
  if (fchdir(cwd) < 0) {
    sys_error(err, "fchdir", ".");
    close(cwd);
    return -1;
  }
  close(cwd);
  if (rc < 0) return errno_error(err, saved, "mount", m.display);
  return 0;
}

}  // namespace tsoci
