// Raw syscalls glibc 2.36 has no wrapper for (or wraps unhelpfully).
#pragma once
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

namespace tsoci {

inline int sys_openat2(int dirfd, const char* path, uint64_t flags, uint64_t resolve) {
  struct open_how how = {};
  how.flags = flags;
  how.resolve = resolve;
  return static_cast<int>(syscall(SYS_openat2, dirfd, path, &how, sizeof how));
}

// glibc 2.36's <sys/pidfd.h> lacks extern "C", so C++ cannot link it.
inline int sys_pidfd_open(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

inline int sys_pidfd_send_signal(int pidfd, int sig) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}

inline int sys_pivot_root(const char* new_root, const char* put_old) {
  return static_cast<int>(syscall(SYS_pivot_root, new_root, put_old));
}

// The raw syscall: glibc's getcwd() hides the kernel's "(unreachable)" prefix
// behind ENOENT only in some versions; we want to see it ourselves.
inline long sys_getcwd(char* buf, size_t size) { return syscall(SYS_getcwd, buf, size); }

}  // namespace tsoci
