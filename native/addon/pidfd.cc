// Synchronous pidfd calls: open, signal, "has it exited", blocking reap.
#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "exit_status.h"

namespace tsoci::addon {

Napi::Value PidfdOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t pid;
  if (!ReadInt(env, info[0], "pid", 1, INT_MAX, &pid)) return env.Undefined();
  // Raw syscall: the glibc wrapper only exists since 2.36. pidfds are always
  // close-on-exec.
  long fd = syscall(SYS_pidfd_open, static_cast<pid_t>(pid), 0);
  if (fd < 0) {
    ThrowSystemError(env, errno, "pidfd_open");
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(fd));
}

Napi::Value PidfdSendSignal(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pidfd;
  int64_t sig;
  if (!ReadFd(info, 0, "pidfd", &pidfd) || !ReadInt(env, info[1], "signal", 0, 64, &sig)) return env.Undefined();
  if (syscall(SYS_pidfd_send_signal, pidfd, static_cast<int>(sig), nullptr, 0) != 0) {
    ThrowSystemError(env, errno, "pidfd_send_signal");
  }
  return env.Undefined();
}

// A pidfd polls readable once the process has exited (zombie or reaped).
Napi::Value PidfdExited(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pidfd;
  if (!ReadFd(info, 0, "pidfd", &pidfd)) return env.Undefined();
  struct pollfd pfd = {pidfd, POLLIN, 0};
  int rc;
  do {
    rc = poll(&pfd, 1, 0);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    ThrowSystemError(env, errno, "poll");
    return env.Undefined();
  }
  if (pfd.revents & POLLNVAL) {
    ThrowSystemError(env, EBADF, "poll");
    return env.Undefined();
  }
  return Napi::Boolean::New(env, (pfd.revents & (POLLIN | POLLHUP)) != 0);
}

Napi::Value WaitPidfd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pidfd;
  if (!ReadFd(info, 0, "pidfd", &pidfd)) return env.Undefined();
  siginfo_t si;
  switch (ReapPidfd(pidfd, 0, &si)) {
    case ReapResult::kReaped:
      return ExitStatusObject(env, si);
    case ReapResult::kNotOurChild:
      return env.Null();
    default:
      ThrowSystemError(env, errno, "waitid");
      return env.Undefined();
  }
}

}  // namespace tsoci::addon
