#include "init/mountinfo.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "init/error.h"
#include "init/procfs.h"

namespace tsoci {

// Reads a whole procfs file into a malloc'd, NUL-terminated buffer.
static char* read_proc_file(int proc, const char* rel, ErrorRecord* err) {
  int fd = openat(proc, rel, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    sys_error(err, "openat", rel);
    return nullptr;
  }
  size_t cap = 16384, len = 0;
  bool read_failed = false;
  char* buf = static_cast<char*>(malloc(cap));
  while (buf) {
    if (len + 1 == cap) {
      char* bigger = static_cast<char*>(realloc(buf, cap *= 2));
      if (!bigger) free(buf);
      buf = bigger;
      if (!buf) break;
    }
    ssize_t n = read(fd, buf + len, cap - len - 1);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) break;
    if (n < 0) {
      sys_error(err, "read", rel);
      read_failed = true;
      free(buf);
      buf = nullptr;
      break;
    }
    len += static_cast<size_t>(n);
  }
  if (!buf && !read_failed) errno_error(err, ENOMEM, "read", rel);
  close(fd);
  if (buf) buf[len] = '\0';
  return buf;
}

// A mountinfo line: "id parent maj:min root mountpoint options [optional...] - fstype ..."
static bool line_is_shared(const char* line, const char* eol) {
  const char* dash = line;
  while (dash < eol && !(dash[0] == ' ' && dash[1] == '-' && dash[2] == ' ')) ++dash;
  for (const char* p = line; p + 8 <= dash; ++p)
    if (!strncmp(p, " shared:", 8)) return true;
  return false;
}

int mount_is_shared(Ctx& c, int fd, const char* display, bool* shared, ErrorRecord* err) {
  struct statx stx;
  if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0) return sys_error(err, "statx", display);
  int proc = procfs_fd(c, err);
  if (proc < 0) return -1;
  char* table = read_proc_file(proc, "self/mountinfo", err);
  if (!table) return -1;
  *shared = false;
  for (char* line = table; *line;) {
    char* eol = strchr(line, '\n');
    if (!eol) eol = line + strlen(line);
    if (strtoull(line, nullptr, 10) == stx.stx_mnt_id) {
      *shared = line_is_shared(line, eol);
      break;
    }
    line = *eol ? eol + 1 : eol;
  }
  free(table);
  return 0;
}

static int mount_identity(int fd, struct statx* stx, const char* display, ErrorRecord* err) {
  if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID | STATX_INO, stx) < 0) return sys_error(err, "statx", display);
  return 0;
}

int open_mount_root(int fd, const char* display, ErrorRecord* err) {
  int cur = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (cur < 0) return sys_error(err, "fcntl", display);
  struct statx here;
  if (mount_identity(cur, &here, display, err) < 0) {
    close(cur);
    return -1;
  }
  for (;;) {
    int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
    struct statx above;
    if (up < 0) sys_error(err, "openat", display);
    if (up < 0 || mount_identity(up, &above, display, err) < 0) {
      if (up >= 0) close(up);
      close(cur);
      return -1;
    }
    // A different mount: `cur` was its root. The same inode: we hit "/".
    bool same_dir = above.stx_ino == here.stx_ino && above.stx_dev_major == here.stx_dev_major &&
                    above.stx_dev_minor == here.stx_dev_minor;
    if (above.stx_mnt_id != here.stx_mnt_id || same_dir) {
      close(up);
      return cur;
    }
    close(cur);
    cur = up;
    here = above;
  }
}

}  // namespace tsoci
