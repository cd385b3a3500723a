#include "init/proc_mounts.h"

#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <cerrno>
#include <cstring>

#include "init/error.h"

namespace tsoci {
namespace {

// runc's validProcMounts: what lxcfs and similar tools replace.
const char* const kBindableProcFiles[] = {
    "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo",  "/proc/stat",
    "/proc/swaps",   "/proc/uptime",    "/proc/loadavg",  "/proc/slabinfo",
    "/proc/sys/kernel/ns_last_pid",     "/proc/sys/crypto/fips_enabled",
};

bool bindable(const char* dest) {
  for (const char* f : kBindableProcFiles)
    if (strcmp(dest, f) == 0) return true;
  return false;
}

int inside_proc(const char* dest, ErrorRecord* err) {
  return detail_error(err, EINVAL, "mount", dest, "\"%s\" cannot be mounted because it is inside /proc", dest);
}

bool is_regular(int fd) {
  struct stat st;
  return fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

int check_proc_dest(const char* dest, bool bind, const char* fstype, ErrorRecord* err) {
  if (strcmp(dest, "/proc") == 0) {
    if (bind || strcmp(fstype, "proc") == 0) return 0;  // a bind's source is checked to be a procfs
    return detail_error(err, EINVAL, "mount", dest, "\"%s\" cannot be mounted because it is not of type proc", dest);
  }
  if (strncmp(dest, "/proc/", 6) != 0) return 0;
  return bind && bindable(dest) ? 0 : inside_proc(dest, err);
}

int check_proc_target(const char* dest, bool bind, int source_fd, int target_fd, ErrorRecord* err) {
  if (strcmp(dest, "/proc") == 0) return 0;
  struct statfs st;
  if (fstatfs(target_fd, &st) < 0) return sys_error(err, "fstatfs", dest);
  bool on_proc = st.f_type == PROC_SUPER_MAGIC;
  if (!on_proc && strncmp(dest, "/proc/", 6) != 0) return 0;
  // Over a file lxcfs could provide, with a file: never a directory that
  // would hide /proc/sys or /proc/self from the masks and read-only paths.
  if (bind && bindable(dest) && on_proc && is_regular(target_fd) && is_regular(source_fd)) return 0;
  return inside_proc(dest, err);
}

}  // namespace tsoci
