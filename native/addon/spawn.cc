// spawn(): clone3 the container's first process and exec ts-oci-init in it
// (native/README.md "Process model"). spawn() returns only once the exec has
// happened: a helper that cannot be executed is an execveat error here, not
// a silent EOF later on the sync socket. With deferExecCheck it returns at
// once (the child a copy, not a vfork) and spawnExecStatus reports the exec
// once the status pipe is readable: a child cloned into a frozen cgroup
// (exec into a paused cgroup2 container) does not exec before the thaw, and
// nothing may block the event loop meanwhile.
#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <string>
#include <vector>

#include "args.h"
#include "bindings.h"
#include "child_exec.h"
#include "clone_vfork.h"
#include "errors.h"
#include "exit_status.h"
#include "helper_memfd.h"
#include "unique_fd.h"

namespace tsoci::addon {
namespace {

// Only namespace flags: anything that shares memory, fds or signal handlers
// with Node (CLONE_VM, CLONE_FILES, ...) would break the child's rules.
constexpr uint64_t kAllowedCloneFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
                                        CLONE_NEWNET | CLONE_NEWCGROUP | 0x80 /* CLONE_NEWTIME */;
constexpr int64_t kMaxPreserveFds = 1 << 20;

struct SpawnOptions {
  std::string helperPath;
  uint64_t cloneFlags;
  int cgroupFd;
  int preserveFds;
  int stdioFds[3] = {-1, -1, -1};  // replacements for fds 0-2, -1 = the caller's
  std::vector<int> passFds;        // fds for the helper at 4+preserveFds..
  bool holdForMaps = false;        // CLONE_NEWUSER: the child waits for spawnRelease
  bool deferExecCheck = false;     // return the status pipe for spawnExecStatus instead of waiting
};

bool ReadBool(Napi::Env env, Napi::Object o, const char* name, bool* out) {
  Napi::Value v = o.Get(name);
  if (!v.IsUndefined() && !v.IsBoolean()) {
    ThrowTypeError(env, std::string(name) + " must be a boolean");
    return false;
  }
  *out = v.IsBoolean() && v.As<Napi::Boolean>().Value();
  return true;
}

// An optional array of fds (each -1 allowed when `allowUnset`).
bool ReadFdList(Napi::Env env, Napi::Value v, const char* name, size_t maxLen, bool allowUnset, std::vector<int>* out) {
  if (v.IsUndefined()) return true;
  if (!v.IsArray() || v.As<Napi::Array>().Length() > maxLen) {
    ThrowTypeError(env, std::string(name) + " must be an array of at most " + std::to_string(maxLen) + " fds");
    return false;
  }
  Napi::Array a = v.As<Napi::Array>();
  for (uint32_t i = 0; i < a.Length(); i++) {
    int64_t fd;
    if (!ReadInt(env, a.Get(i), name, allowUnset ? -1 : 0, INT_MAX, &fd)) return false;
    out->push_back(static_cast<int>(fd));
  }
  return true;
}

bool ReadOptions(Napi::Env env, Napi::Value arg, SpawnOptions* out) {
  if (!arg.IsObject()) {
    ThrowTypeError(env, "spawn(options): options must be an object");
    return false;
  }
  Napi::Object o = arg.As<Napi::Object>();
  int64_t flags, cgroupFd, preserveFds;
  if (!ReadString(env, o.Get("helperPath"), "helperPath", &out->helperPath) ||
      !ReadInt(env, o.Get("cloneFlags"), "cloneFlags", 0, UINT32_MAX, &flags) ||
      !ReadInt(env, o.Get("cgroupFd"), "cgroupFd", -1, INT_MAX, &cgroupFd) ||
      !ReadInt(env, o.Get("preserveFds"), "preserveFds", 0, kMaxPreserveFds, &preserveFds)) {
    return false;
  }
  if (static_cast<uint64_t>(flags) & ~kAllowedCloneFlags) {
    ThrowTypeError(env, "cloneFlags may only contain CLONE_NEW* flags");
    return false;
  }
  out->cloneFlags = static_cast<uint64_t>(flags);
  out->cgroupFd = static_cast<int>(cgroupFd);
  out->preserveFds = static_cast<int>(preserveFds);
  std::vector<int> stdio;
  if (!ReadFdList(env, o.Get("stdio"), "stdio", 3, true, &stdio) ||
      !ReadFdList(env, o.Get("passFds"), "passFds", kMaxPassFds, false, &out->passFds)) {
    return false;
  }
  for (size_t i = 0; i < stdio.size(); i++) out->stdioFds[i] = stdio[i];
  if (!ReadBool(env, o, "holdForMaps", &out->holdForMaps) || !ReadBool(env, o, "deferExecCheck", &out->deferExecCheck))
    return false;
  if (out->holdForMaps && !(out->cloneFlags & CLONE_NEWUSER)) {
    ThrowTypeError(env, "holdForMaps needs CLONE_NEWUSER");
    return false;
  }
  return true;
}

// Moves an fd above `limit` so the child's dup3 onto 3+preserveFds can never
// clobber it.
int MoveAbove(int fd, int limit) {
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, limit + 1);
  int saved = errno;
  close(fd);
  errno = saved;
  return moved;
}

const char* StepSyscall(int step) {
  switch (step) {
    case kStepUncloexec:
      return "fcntl";
    case kStepDup:
      return "dup3";
    case kStepCloseRange:
      return "close_range";
    case kStepPreservedFd:
      return "fcntl";
    case kStepRelease:
      return "read";
    case kStepSetresgid:
      return "setresgid";
    case kStepSetresuid:
      return "setresuid";
    default:
      return "execveat";
  }
}

// Blocks until the child has exec'd (the status pipe's only writer is
// closed by the exec: EOF) or reports why it could not. Returns false with
// the failure filled in.
bool WaitForExec(int statusRead, ChildFailure* failure) {
  ssize_t n;
  do {
    n = read(statusRead, failure, sizeof *failure);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return true;
  if (n != static_cast<ssize_t>(sizeof *failure)) *failure = {kStepExec, n < 0 ? errno : EIO};
  return false;
}

void ChildEntry(const void* plan) { ExecHelperInChild(*static_cast<const ChildExecPlan*>(plan)); }

// Signals stay blocked in the child until ts-oci-init's EXEC op resets them:
// a Node handler must never run in the cloned copy of Node.
// The child shares Node's memory until it execs (CLONE_VM | CLONE_VFORK):
// copying the page tables of a Node process costs ~1 ms per 20 MB of heap,
// all of it on the event loop. A child held for its user namespace's maps
// waits for this thread, and one cloned into a frozen cgroup (deferExecCheck)
// would hold it in clone3 until the thaw: they get a copy as before.
long CloneWithSignalsBlocked(const SpawnOptions& opts, int* pidfd, const ChildExecPlan& plan) {
  struct clone_args args = {};
  args.flags = CLONE_PIDFD | opts.cloneFlags | (opts.cgroupFd >= 0 ? CLONE_INTO_CGROUP : 0);
  args.pidfd = reinterpret_cast<uint64_t>(pidfd);
  args.exit_signal = SIGCHLD;
  args.cgroup = opts.cgroupFd >= 0 ? static_cast<uint64_t>(opts.cgroupFd) : 0;
  alignas(16) char childStack[kVforkStackSize];
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  long pid;
  if (plan.holdForMaps || opts.deferExecCheck) {
    pid = syscall(SYS_clone3, &args, sizeof args);
    if (pid == 0) ExecHelperInChild(plan);
  } else {
    args.stack = reinterpret_cast<uint64_t>(childStack);
    args.stack_size = sizeof childStack;
    pid = Clone3Vfork(&args, ChildEntry, &plan);
    if (pid < 0) {
      errno = static_cast<int>(-pid);
      pid = -1;
    }
  }
  int err = errno;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  errno = err;
  return pid;
}

// The fds of one spawn. The child's ends sit above 3+preserveFds so its
// dup3 onto that number can never clobber them.
struct SpawnFds {
  UniqueFd helper;       // sealed memfd of ts-oci-init
  UniqueFd parentSock;   // returned as syncFd
  UniqueFd childSock;
  UniqueFd statusRead;   // exec status pipe (child_exec.h)
  UniqueFd statusWrite;
  UniqueFd stdio[3];     // copies of the stdio replacements, above the limit
  UniqueFd pass[kMaxPassFds];
};

// Copies of the caller's stdio replacements and pass fds above `limit`:
// the child's dup3s onto 0-2 and targetFd.. can then never clobber a source.
bool CopyAbove(Napi::Env env, const SpawnOptions& opts, int limit, SpawnFds* fds) {
  for (int i = 0; i < 3; i++) {
    if (opts.stdioFds[i] < 0) continue;
    fds->stdio[i].Reset(fcntl(opts.stdioFds[i], F_DUPFD_CLOEXEC, limit + 1));
    if (!fds->stdio[i].Valid()) {
      ThrowSystemError(env, errno, "fcntl");
      return false;
    }
  }
  for (size_t i = 0; i < opts.passFds.size(); i++) {
    fds->pass[i].Reset(fcntl(opts.passFds[i], F_DUPFD_CLOEXEC, limit + 1));
    if (!fds->pass[i].Valid()) {
      ThrowSystemError(env, errno, "fcntl");
      return false;
    }
  }
  return true;
}

// Fds 3..targetFd-1 go to the container as they are. A slot that is not
// open would be filled by the next fd opened here (our end of the sync
// socket, the status pipe) and handed to the container: refuse it.
bool CheckPreservedOpen(Napi::Env env, int targetFd) {
  for (int fd = 3; fd < targetFd; fd++) {
    if (fcntl(fd, F_GETFD) >= 0) continue;
    ThrowSystemError(env, errno, "fcntl", "preserved fd " + std::to_string(fd));
    return false;
  }
  return true;
}

bool OpenSpawnFds(Napi::Env env, const SpawnOptions& opts, int targetFd, SpawnFds* fds) {
  if (!CheckPreservedOpen(env, targetFd)) return false;
  // Every fd the child moves must sit above its highest destination.
  targetFd += static_cast<int>(opts.passFds.size());
  if (!CopyAbove(env, opts, targetFd, fds)) return false;
  const char* failedCall = "";
  fds->helper.Reset(HelperMemfd(opts.helperPath, targetFd + 1, &failedCall));
  if (!fds->helper.Valid()) {
    ThrowSystemError(env, errno, failedCall, opts.helperPath);
    return false;
  }
  int sv[2], status[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    ThrowSystemError(env, errno, "socketpair");
    return false;
  }
  fds->parentSock.Reset(MoveAbove(sv[0], targetFd));
  if (!fds->parentSock.Valid()) {
    close(sv[1]);
    ThrowSystemError(env, errno, "fcntl");
    return false;
  }
  fds->childSock.Reset(MoveAbove(sv[1], targetFd));
  if (!fds->childSock.Valid()) {
    ThrowSystemError(env, errno, "fcntl");
    return false;
  }
  if (pipe2(status, O_CLOEXEC) != 0) {
    ThrowSystemError(env, errno, "pipe2");
    return false;
  }
  fds->statusRead.Reset(MoveAbove(status[0], targetFd));
  if (!fds->statusRead.Valid()) {
    close(status[1]);
    ThrowSystemError(env, errno, "fcntl");
    return false;
  }
  fds->statusWrite.Reset(MoveAbove(status[1], targetFd));
  if (!fds->statusWrite.Valid()) {
    ThrowSystemError(env, errno, "fcntl");
    return false;
  }
  return true;
}

// False with a JS error pending when the child could not exec the helper
// (it exits 127 right after reporting: reaped here, no zombie left).
bool AwaitExec(Napi::Env env, int pidfd, int statusRead, const std::string& helperPath) {
  ChildFailure failure;
  if (WaitForExec(statusRead, &failure)) return true;
  siginfo_t si;
  ReapPidfd(pidfd, 0, &si);
  ThrowSystemError(env, failure.err, StepSyscall(failure.step), failure.step == kStepExec ? helperPath : "");
  return false;
}

}  // namespace

Napi::Value Spawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SpawnOptions opts;
  if (!ReadOptions(env, info[0], &opts)) return env.Undefined();
  const int targetFd = 3 + opts.preserveFds;
  SpawnFds fds;
  if (!OpenSpawnFds(env, opts, targetFd, &fds)) return env.Undefined();

  // argv and envp are built before the clone: the child cannot allocate.
  std::string syncFdArg = std::to_string(targetFd);
  char arg0[] = "ts-oci-init", arg1[] = "--sync-fd";
  char* argv[] = {arg0, arg1, syncFdArg.data(), nullptr};
  char* envp[] = {nullptr};
  ChildExecPlan plan = {fds.childSock.Get(), targetFd, fds.helper.Get(), fds.statusWrite.Get(), {-1, -1, -1}, {},
                       static_cast<int>(opts.passFds.size()), opts.holdForMaps, argv, envp};
  for (int i = 0; i < 3; i++) plan.stdioFds[i] = fds.stdio[i].Valid() ? fds.stdio[i].Get() : -1;
  for (int i = 0; i < plan.passCount; i++) plan.passFds[i] = fds.pass[i].Get();

  int pidfd = -1;
  long pid = CloneWithSignalsBlocked(opts, &pidfd, plan);
  if (pid < 0) {
    ThrowSystemError(env, errno, "clone3");
    return env.Undefined();
  }
  UniqueFd ownedPidfd(pidfd);
  fds.childSock.Reset();
  fds.statusWrite.Reset();  // else our own copy would keep the pipe from reaching EOF

  Napi::Object result = Napi::Object::New(env);
  if (opts.holdForMaps || opts.deferExecCheck) {
    // The child waits for its maps (spawnRelease lets it exec), or the
    // caller waits for the pipe to be readable (spawnExecStatus).
    result.Set("statusFd", fds.statusRead.Release());
  } else if (!AwaitExec(env, pidfd, fds.statusRead.Get(), opts.helperPath)) {
    return env.Undefined();
  }
  result.Set("pid", static_cast<double>(pid));
  result.Set("pidfd", ownedPidfd.Release());
  result.Set("syncFd", fds.parentSock.Release());
  return result;
}

}  // namespace tsoci::addon

namespace tsoci::addon {

// spawnRelease(syncFd, statusFd, pidfd, helperPath): after the runtime wrote
// the held child's uid_map and gid_map, let it become root in its user
// namespace and exec the helper; returns once it did. statusFd is closed.
Napi::Value SpawnRelease(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int syncFd, statusFd, pidfd;
  std::string helperPath;
  if (!ReadFd(info, 0, "syncFd", &syncFd) || !ReadFd(info, 1, "statusFd", &statusFd) ||
      !ReadFd(info, 2, "pidfd", &pidfd) || !ReadString(env, info[3], "helperPath", &helperPath)) {
    return env.Undefined();
  }
  UniqueFd status(statusFd);
  const char go = 'G';
  ssize_t n;
  do n = write(syncFd, &go, 1);
  while (n < 0 && errno == EINTR);
  if (n != 1) {
    ThrowSystemError(env, n < 0 ? errno : EIO, "write", "sync socket");
    return env.Undefined();
  }
  AwaitExec(env, pidfd, status.Get(), helperPath);
  return env.Undefined();
}

// spawnExecStatus(pidfd, statusFd, helperPath): after spawn with
// deferExecCheck, once statusFd is readable (data or EOF): throws why the
// child could not exec the helper (and reaps it). statusFd is closed.
Napi::Value SpawnExecStatus(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pidfd, statusFd;
  std::string helperPath;
  if (!ReadFd(info, 0, "pidfd", &pidfd) || !ReadFd(info, 1, "statusFd", &statusFd) ||
      !ReadString(env, info[2], "helperPath", &helperPath)) {
    return env.Undefined();
  }
  UniqueFd status(statusFd);
  AwaitExec(env, pidfd, status.Get(), helperPath);
  return env.Undefined();
}

}  // namespace tsoci::addon
