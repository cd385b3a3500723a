// What the running kernel's seccomp supports, asked without installing
// anything: SECCOMP_GET_ACTION_AVAIL for actions, and for filter flags a
// SECCOMP_SET_MODE_FILTER with a NULL program, which fails EFAULT once
// the flags passed the kernel's check and EINVAL when one is unknown
// (runc's probe). Nothing is ever loaded into the Node process.
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "args.h"
#include "bindings.h"

namespace tsoci::addon {

Napi::Value SeccompActionAvailable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t action;
  if (!ReadInt(env, info[0], "action", 0, UINT32_MAX, &action)) return env.Undefined();
  uint32_t a = static_cast<uint32_t>(action);
  return Napi::Boolean::New(env, syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &a) == 0);
}

Napi::Value SeccompFlagSupported(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t flag;
  if (!ReadInt(env, info[0], "flag", 1, UINT32_MAX, &flag)) return env.Undefined();
  unsigned long flags = static_cast<unsigned long>(flag);
  // The kernel accepts WAIT_KILLABLE_RECV (1 << 5, Linux 6.0) only together with a listener.
  if (flags & (1ul << 5)) flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, nullptr);
  return Napi::Boolean::New(env, rc < 0 && errno == EFAULT);
}

}  // namespace tsoci::addon
