// User namespaces from the runtime's side: writing the held init's
// uid_map/gid_map (and setgroups), a user namespace made only to carry an
// idmapped mount's mapping, and the detached idmapped tree itself. TS decides
// every mapping; this file only writes them where they belong.
#include <errno.h>
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <string>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "exit_status.h"
#include "unique_fd.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef MOUNT_ATTR_IDMAP
#define MOUNT_ATTR_IDMAP 0x00100000
#endif

namespace tsoci::addon {
namespace {

struct IdMaps {
  std::string uidMap, gidMap, setgroups;  // file contents; setgroups "" = left alone
};

bool ReadMaps(Napi::Env env, Napi::Value v, IdMaps* out) {
  if (!v.IsObject()) {
    ThrowTypeError(env, "maps must be an object");
    return false;
  }
  Napi::Object o = v.As<Napi::Object>();
  if (!ReadString(env, o.Get("uidMap"), "uidMap", &out->uidMap) ||
      !ReadString(env, o.Get("gidMap"), "gidMap", &out->gidMap)) {
    return false;
  }
  if (!o.Get("setgroups").IsUndefined() && !ReadString(env, o.Get("setgroups"), "setgroups", &out->setgroups)) return false;
  if (!out->setgroups.empty() && out->setgroups != "deny" && out->setgroups != "allow") {
    ThrowTypeError(env, "setgroups must be \"deny\" or \"allow\"");
    return false;
  }
  return true;
}

// One write: the kernel takes a map file's whole content at once, and only once.
int WriteAt(int dir, const char* name, const std::string& value, const char** failed) {
  int fd = openat(dir, name, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    *failed = "openat";
    return -1;
  }
  ssize_t n;
  do n = write(fd, value.data(), value.size());
  while (n < 0 && errno == EINTR);
  int saved = errno;
  close(fd);
  if (n == static_cast<ssize_t>(value.size())) return 0;
  *failed = "write";
  errno = n < 0 ? saved : EIO;
  return -1;
}

// /proc/<pid> of exactly the process `pidfd` names: the directory is opened
// first, then the pidfd must still name a live process. A pid is reused only
// after its process is reaped, and a process whose pidfd still signals is not.
int OpenProcDirOf(int pidfd, long pid) {
  std::string path = "/proc/" + std::to_string(pid);
  int dir = open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return -1;
  if (syscall(SYS_pidfd_send_signal, pidfd, 0, nullptr, 0) != 0) {
    int saved = errno;
    close(dir);
    errno = saved;
    return -1;
  }
  return dir;
}

// setgroups first: gid_map refuses an unprivileged writer until it says deny.
bool WriteMaps(Napi::Env env, int pidfd, long pid, const IdMaps& maps) {
  UniqueFd dir(OpenProcDirOf(pidfd, pid));
  std::string where = "/proc/" + std::to_string(pid);
  if (!dir.Valid()) {
    ThrowSystemError(env, errno, "open", where);
    return false;
  }
  const char* failed = "";
  if (!maps.setgroups.empty() && WriteAt(dir.Get(), "setgroups", maps.setgroups, &failed) < 0) {
    ThrowSystemError(env, errno, failed, where + "/setgroups");
    return false;
  }
  if (WriteAt(dir.Get(), "uid_map", maps.uidMap, &failed) < 0) {
    ThrowSystemError(env, errno, failed, where + "/uid_map");
    return false;
  }
  if (WriteAt(dir.Get(), "gid_map", maps.gidMap, &failed) < 0) {
    ThrowSystemError(env, errno, failed, where + "/gid_map");
    return false;
  }
  return true;
}

// A child that only waits to be killed: it exists to own a user namespace.
// Cloned from a multi-threaded process, it makes raw syscalls only.
[[noreturn]] void WaitToBeKilled() {
  for (;;) syscall(SYS_pause);
}

long CloneHolder(int* pidfd) {
  struct clone_args args = {};
  args.flags = CLONE_PIDFD | CLONE_NEWUSER;
  args.pidfd = reinterpret_cast<uint64_t>(pidfd);
  args.exit_signal = SIGCHLD;
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  long pid = syscall(SYS_clone3, &args, sizeof args);
  if (pid == 0) WaitToBeKilled();
  int err = errno;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  errno = err;
  return pid;
}

}  // namespace

// writeIdMaps(pidfd, pid, { uidMap, gidMap, setgroups? }): the held init's maps.
Napi::Value WriteIdMaps(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pidfd;
  int64_t pid;
  IdMaps maps;
  if (!ReadFd(info, 0, "pidfd", &pidfd) || !ReadInt(env, info[1], "pid", 1, INT_MAX, &pid) ||
      !ReadMaps(env, info[2], &maps)) {
    return env.Undefined();
  }
  WriteMaps(env, pidfd, static_cast<long>(pid), maps);
  return env.Undefined();
}

// mappedUserns({ uidMap, gidMap }): an fd of a new user namespace with those
// maps (for MOUNT_ATTR_IDMAP). Its only process is killed and reaped before
// this returns; the fd keeps the namespace alive.
Napi::Value MappedUserns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  IdMaps maps;
  if (!ReadMaps(env, info[0], &maps)) return env.Undefined();
  int rawPidfd = -1;
  long pid = CloneHolder(&rawPidfd);
  if (pid < 0) {
    ThrowSystemError(env, errno, "clone3");
    return env.Undefined();
  }
  UniqueFd pidfd(rawPidfd);
  int nsfd = -1;
  if (WriteMaps(env, pidfd.Get(), pid, maps)) {
    UniqueFd dir(OpenProcDirOf(pidfd.Get(), pid));
    if (dir.Valid()) nsfd = openat(dir.Get(), "ns/user", O_RDONLY | O_CLOEXEC);
    if (nsfd < 0) ThrowSystemError(env, errno, "open", "/proc/" + std::to_string(pid) + "/ns/user");
  }
  syscall(SYS_pidfd_send_signal, pidfd.Get(), SIGKILL, nullptr, 0);
  siginfo_t si;
  ReapPidfd(pidfd.Get(), 0, &si);
  if (nsfd < 0) return env.Undefined();
  return Napi::Number::New(env, nsfd);
}

// idmappedTree(source, recursive, recursiveIdmap, usernsFd): a detached copy
// of `source` (open_tree OPEN_TREE_CLONE) whose top mount, or every mount,
// carries the user namespace's mapping. EINVAL from mount_setattr: the
// filesystem (or a mount below) cannot be idmapped.
Napi::Value IdmappedTree(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string source;
  int usernsFd;
  if (!ReadStringArg(info, 0, "source", &source) || !info[1].IsBoolean() || !info[2].IsBoolean() ||
      !ReadFd(info, 3, "usernsFd", &usernsFd)) {
    if (!env.IsExceptionPending()) ThrowTypeError(env, "idmappedTree(source, recursive, recursiveIdmap, usernsFd)");
    return env.Undefined();
  }
  bool recursive = info[1].As<Napi::Boolean>().Value();
  bool recursiveIdmap = info[2].As<Napi::Boolean>().Value();
  UniqueFd tree(static_cast<int>(syscall(SYS_open_tree, AT_FDCWD, source.c_str(),
                                         OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0))));
  if (!tree.Valid()) {
    ThrowSystemError(env, errno, "open_tree", source);
    return env.Undefined();
  }
  struct mount_attr attr = {};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<uint64_t>(usernsFd);
  unsigned flags = AT_EMPTY_PATH | (recursiveIdmap ? AT_RECURSIVE : 0);
  if (syscall(SYS_mount_setattr, tree.Get(), "", flags, &attr, sizeof attr) != 0) {
    ThrowSystemError(env, errno, "mount_setattr", source);
    return env.Undefined();
  }
  return Napi::Number::New(env, tree.Release());
}

}  // namespace tsoci::addon
