#include "exit_status.h"

#include <errno.h>
#include <poll.h>
#include <sys/wait.h>

#ifndef P_PIDFD
#define P_PIDFD 3  // linux/wait.h; glibc headers before 2.36 lack it
#endif

namespace tsoci::addon {

ReapResult ReapPidfd(int pidfd, int extraFlags, siginfo_t* info) {
  *info = {};
  for (;;) {
    if (waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd), info, WEXITED | extraFlags) == 0) break;
    if (errno == EINTR) continue;
    if (errno == ECHILD) return ReapResult::kNotOurChild;
    // An O_NONBLOCK pidfd turns a blocking waitid into EAGAIN: wait for the
    // exit with poll instead, then reap.
    if (errno != EAGAIN || (extraFlags & WNOHANG)) return ReapResult::kError;
    struct pollfd pfd = {pidfd, POLLIN, 0};
    if (poll(&pfd, 1, -1) < 0 && errno != EINTR) return ReapResult::kError;
  }
  // With WNOHANG, waitid reports "nothing yet" by leaving si_pid at 0.
  return info->si_pid == 0 ? ReapResult::kNotReady : ReapResult::kReaped;
}

Napi::Object ExitStatusObject(Napi::Env env, const siginfo_t& info) {
  Napi::Object result = Napi::Object::New(env);
  if (info.si_code == CLD_EXITED) {
    result.Set("status", info.si_status);
    result.Set("signal", env.Null());
  } else {  // CLD_KILLED or CLD_DUMPED: si_status is the signal
    result.Set("status", 128 + info.si_status);
    result.Set("signal", info.si_status);
  }
  return result;
}

}  // namespace tsoci::addon
