#include "init/inroot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "init/error.h"
#include "init/sys.h"

namespace tsoci {

static constexpr uint64_t kInRoot = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

// openat2 returns EAGAIN when a rename or mount raced the lookup.
static int openat2_retry(int dirfd, const char* path, uint64_t flags, uint64_t resolve) {
  int fd = -1;
  for (int attempt = 0; attempt < 8; ++attempt) {
    fd = sys_openat2(dirfd, path, flags | O_CLOEXEC, resolve);
    if (fd >= 0 || (errno != EAGAIN && errno != EINTR)) break;
  }
  return fd;
}

static int need_root(Ctx& c, const char* path, ErrorRecord* err) {
  if (c.root_fd >= 0) return 0;
  return detail_error(err, EINVAL, "openat2", path, "container path used before ROOTFS");
}

int inroot_open(Ctx& c, const char* path, int flags, uint64_t extra_resolve, ErrorRecord* err) {
  if (need_root(c, path, err) < 0) return -1;
  int fd = openat2_retry(c.root_fd, path, static_cast<uint64_t>(flags), kInRoot | extra_resolve);
  if (fd < 0) sys_error(err, "openat2", path);
  return fd;
}

// Opens the prefix of `path` that ends at `end`, creating its last
// component (which starts at `name`) inside `parent` when missing.
static int open_or_mkdir(Ctx& c, char* path, char* end, const char* name, int parent, ErrorRecord* err) {
  char saved = *end;
  *end = '\0';
  int fd = openat2_retry(c.root_fd, path, O_PATH | O_DIRECTORY, kInRoot);
  if (fd < 0 && errno == ENOENT) {
    char component[kNameBuf];
    size_t n = static_cast<size_t>(end - name);
    memcpy(component, name, n);
    component[n] = '\0';
    if (mkdirat(parent, component, 0755) < 0 && errno != EEXIST) {
      sys_error(err, "mkdirat", path);
      *end = saved;
      return -1;
    }
    fd = openat2_retry(c.root_fd, path, O_PATH | O_DIRECTORY, kInRoot);
  }
  if (fd < 0) sys_error(err, "openat2", path);
  *end = saved;
  return fd;
}

static int mkdirs(Ctx& c, const char* path, int depth, ErrorRecord* err);

// Symlinks followed while creating one path, as the kernel's MAXSYMLINKS.
static constexpr int kMaxLinks = 40;

// A component that exists but does not resolve is a dangling symlink (an
// image's absolute link to a directory that is not there yet): its target
// is created instead, still resolved in-root, as runc's MkdirAllInRoot
// does. `name` starts the component inside `path`, `rest` follows it.
static int follow_dangling(Ctx& c, const char* path, const char* name, const char* rest, int parent, int depth,
                           ErrorRecord* err) {
  char component[kNameBuf];
  size_t n = static_cast<size_t>(rest - name);
  memcpy(component, name, n);
  component[n] = '\0';
  char target[PATH_MAX];
  ssize_t len = readlinkat(parent, component, target, sizeof target - 1);
  if (len <= 0) return -1;  // not a symlink: the ENOENT already recorded stands
  target[len] = '\0';
  if (depth >= kMaxLinks) return errno_error(err, ELOOP, "openat2", path);
  char next[PATH_MAX];
  int prefix = target[0] == '/' ? 0 : static_cast<int>(name - path);
  int total = snprintf(next, sizeof next, "%.*s%s%s", prefix, path, target, rest);
  if (total < 0 || static_cast<size_t>(total) >= sizeof next) return errno_error(err, ENAMETOOLONG, "openat2", path);
  return mkdirs(c, next, depth + 1, err);
}

static int mkdirs(Ctx& c, const char* path, int depth, ErrorRecord* err) {
  int fd = openat2_retry(c.root_fd, path, O_PATH | O_DIRECTORY, kInRoot);
  if (fd >= 0 || errno != ENOENT) return fd >= 0 ? fd : sys_error(err, "openat2", path);
  char buf[PATH_MAX];
  if (strlen(path) >= sizeof buf) return errno_error(err, ENAMETOOLONG, "openat2", path);
  strcpy(buf, path);
  int dir = openat2_retry(c.root_fd, "/", O_PATH | O_DIRECTORY, kInRoot);
  if (dir < 0) return sys_error(err, "openat2", "/");
  for (char* p = buf; *p;) {
    while (*p == '/') ++p;
    if (!*p) break;
    char* name = p;
    while (*p && *p != '/') ++p;
    if (p - name >= static_cast<long>(kNameBuf)) {
      close(dir);
      return errno_error(err, ENAMETOOLONG, "mkdirat", path);
    }
    int next = open_or_mkdir(c, buf, p, name, dir, err);
    if (next < 0 && err->err == ENOENT) {
      // Through the link's target, the rest of the path is created too.
      int whole = follow_dangling(c, buf, name, p, dir, depth, err);
      close(dir);
      return whole;
    }
    close(dir);
    if (next < 0) return -1;
    dir = next;
  }
  return dir;
}

int inroot_mkdirs(Ctx& c, const char* path, ErrorRecord* err) {
  if (need_root(c, path, err) < 0) return -1;
  return mkdirs(c, path, 0, err);
}

int inroot_parent(Ctx& c, const char* path, char base[kNameBuf], ErrorRecord* err) {
  char parent[PATH_MAX];
  size_t len = strlen(path);
  if (len >= sizeof parent) return errno_error(err, ENAMETOOLONG, "openat2", path);
  memcpy(parent, path, len + 1);
  while (len > 1 && parent[len - 1] == '/') parent[--len] = '\0';
  char* slash = strrchr(parent, '/');
  const char* name = slash ? slash + 1 : parent;
  if (!*name || !strcmp(name, ".") || !strcmp(name, "..") || strlen(name) >= kNameBuf)
    return detail_error(err, EINVAL, "openat2", path, "path has no file name");
  strcpy(base, name);
  if (slash == parent) slash[1] = '\0';  // "/x" -> parent "/"
  else if (slash) *slash = '\0';
  else strcpy(parent, "/");
  return inroot_mkdirs(c, parent, err);
}

int inroot_mkfile(Ctx& c, const char* path, ErrorRecord* err) {
  char base[kNameBuf];
  int dir = inroot_parent(c, path, base, err);
  if (dir < 0) return -1;
  // mknodat never follows a symlink in the last component: an image
  // symlink there stays a symlink and is resolved in-root below.
  int rc = mknodat(dir, base, S_IFREG | 0644, 0);
  int saved = errno;
  close(dir);
  if (rc < 0 && saved != EEXIST) return errno_error(err, saved, "mknodat", path);
  return inroot_open(c, path, O_PATH, 0, err);
}

}  // namespace tsoci
