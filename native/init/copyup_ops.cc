// COPYUP_OPEN and COPYUP_FILL: the "tmpcopyup" mount option (runc's
// extension, used by Podman for --tmpfs and --read-only). COPYUP_OPEN opens
// the image's directory before the tmpfs covers it; the descriptor still
// reaches the covered directory afterwards, so COPYUP_FILL copies its tree
// into the new mount without a temporary mount point on any path.
//
// The tree is the image's (untrusted): every step is relative to a
// descriptor with O_NOFOLLOW / AT_SYMLINK_NOFOLLOW, so a symlink is copied
// as a symlink and never followed, and the depth is bounded. No malloc:
// buffers live on the stack, one getdents64 buffer per level.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "init/error.h"
#include "init/inroot.h"
#include "init/ops.h"

namespace tsoci {
namespace {

constexpr int kMaxDepth = 64;

struct Linux64Dirent {
  uint64_t ino;
  int64_t off;
  unsigned short reclen;
  unsigned char type;
  char name[1];
};

struct CopyCtx {
  const char* dest;  // the mount's container path, for errors
  ErrorRecord* err;
};

int copy_error(CopyCtx& cc, const char* syscall, const char* name) {
  return detail_error(cc.err, errno, syscall, cc.dest, "tmpcopyup of %s: %s %s", cc.dest, syscall, name);
}

// Owner, times and mode as in the image; mode last (a read-only directory
// is filled before it becomes read-only).
int copy_meta(CopyCtx& cc, int to_dir, const char* name, const struct stat& st, bool is_link) {
  int nofollow = AT_SYMLINK_NOFOLLOW;
  if (fchownat(to_dir, name, st.st_uid, st.st_gid, nofollow) < 0) return copy_error(cc, "fchownat", name);
  struct timespec times[2] = {st.st_atim, st.st_mtim};
  if (utimensat(to_dir, name, times, nofollow) < 0) return copy_error(cc, "utimensat", name);
  if (!is_link && fchmodat(to_dir, name, st.st_mode & 07777, 0) < 0) return copy_error(cc, "fchmodat", name);
  return 0;
}

int copy_bytes(CopyCtx& cc, int src, int dst, const char* name) {
  for (;;) {
    ssize_t n = copy_file_range(src, nullptr, dst, nullptr, 1 << 30, 0);
    if (n == 0) return 0;
    if (n > 0) continue;
    if (errno == EINTR) continue;
    if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP) return copy_error(cc, "copy_file_range", name);
    break;
  }
  char buf[16384];
  for (;;) {
    ssize_t n = read(src, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return copy_error(cc, "read", name);
    if (n == 0) return 0;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(dst, buf + off, static_cast<size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return copy_error(cc, "write", name);
      off += w;
    }
  }
}

int copy_file(CopyCtx& cc, int from_dir, int to_dir, const char* name) {
  int src = openat(from_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
  if (src < 0) return copy_error(cc, "openat", name);
  int dst = openat(to_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  int rc = dst < 0 ? copy_error(cc, "openat", name) : copy_bytes(cc, src, dst, name);
  if (dst >= 0) close(dst);
  close(src);
  return rc;
}

int copy_symlink(CopyCtx& cc, int from_dir, int to_dir, const char* name) {
  char target[PATH_MAX];
  ssize_t n = readlinkat(from_dir, name, target, sizeof target - 1);
  if (n < 0) return copy_error(cc, "readlinkat", name);
  target[n] = '\0';
  if (symlinkat(target, to_dir, name) < 0) return copy_error(cc, "symlinkat", name);
  return 0;
}

int copy_tree(CopyCtx& cc, int from, int to, int depth);

int copy_dir(CopyCtx& cc, int from_dir, int to_dir, const char* name, int depth) {
  if (depth >= kMaxDepth) {
    errno = ELOOP;
    return copy_error(cc, "mkdirat", name);
  }
  if (mkdirat(to_dir, name, 0700) < 0) return copy_error(cc, "mkdirat", name);
  int from = openat(from_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (from < 0) return copy_error(cc, "openat", name);
  int to = openat(to_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  int rc = to < 0 ? copy_error(cc, "openat", name) : copy_tree(cc, from, to, depth + 1);
  if (to >= 0) close(to);
  close(from);
  return rc;
}

int copy_entry(CopyCtx& cc, int from, int to, const char* name, int depth) {
  struct stat st;
  if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0) return copy_error(cc, "fstatat", name);
  int rc;
  if (S_ISDIR(st.st_mode)) {
    rc = copy_dir(cc, from, to, name, depth);
  } else if (S_ISREG(st.st_mode)) {
    rc = copy_file(cc, from, to, name);
  } else if (S_ISLNK(st.st_mode)) {
    rc = copy_symlink(cc, from, to, name);
  } else {
    rc = mknodat(to, name, st.st_mode, st.st_rdev) < 0 ? copy_error(cc, "mknodat", name) : 0;
  }
  return rc < 0 ? -1 : copy_meta(cc, to, name, st, S_ISLNK(st.st_mode));
}

int copy_tree(CopyCtx& cc, int from, int to, int depth) {
  alignas(8) char buf[2048];
  for (;;) {
    long n = syscall(SYS_getdents64, from, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return copy_error(cc, "getdents64", ".");
    if (n == 0) return 0;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<Linux64Dirent*>(buf + off);
      off += d->reclen;
      if (!strcmp(d->name, ".") || !strcmp(d->name, "..")) continue;
      if (copy_entry(cc, from, to, d->name, depth) < 0) return -1;
    }
  }
}

}  // namespace

// The directory the tmpfs is about to cover; a missing one has nothing to
// copy (the mount creates it).
int op_copyup_open(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* dest = a.str();
  if (c.copyup_fd >= 0) return detail_error(err, EINVAL, "openat2", dest, "tmpcopyup of %s: another copy-up is open", dest);
  int fd = inroot_open(c, dest, O_RDONLY | O_DIRECTORY, 0, err);
  if (fd < 0 && err->err != ENOENT) return -1;
  *err = ErrorRecord{};
  c.copyup_fd = fd < 0 ? kCopyupNothing : fd;
  return 0;
}

int op_copyup_fill(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* dest = a.str();
  if (c.copyup_fd == -1) return detail_error(err, EINVAL, "openat2", dest, "tmpcopyup of %s: nothing was opened", dest);
  int from = c.copyup_fd;
  c.copyup_fd = -1;
  if (from == kCopyupNothing) return 0;
  int to = inroot_open(c, dest, O_RDONLY | O_DIRECTORY, 0, err);
  int rc = -1;
  if (to >= 0) {
    CopyCtx cc{dest, err};
    rc = copy_tree(cc, from, to, 0);
    close(to);
  }
  close(from);
  return rc;
}

}  // namespace tsoci
