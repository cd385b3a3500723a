// watchPidfd: one callback when a process exits, driven by a uv_poll_t on the
// pidfd in the calling environment's own loop (no thread, no timer). The
// active poll handle keeps the loop alive, which is what `run` relies on to
// wait for the container.
#include <errno.h>
#include <fcntl.h>
#include <uv.h>

#include <memory>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "exit_status.h"

namespace tsoci::addon {
namespace {

struct PidfdWatch {
  uv_poll_t poll;  // first member: the uv handle pointer is the watch pointer
  napi_env env;
  int pidfd;
  Napi::FunctionReference callback;  // a strong reference: not collected while waiting
  std::unique_ptr<Napi::AsyncContext> context;
};

void FreeWatch(uv_handle_t* handle) { delete reinterpret_cast<PidfdWatch*>(handle); }

void Finish(PidfdWatch* watch);
void FinishAtTeardown(void* watch) { Finish(static_cast<PidfdWatch*>(watch)); }

// Drops the JS references while the env is still usable, then lets libuv
// finish with the handle; the struct is freed in the close callback.
void Finish(PidfdWatch* watch) {
  napi_remove_env_cleanup_hook(watch->env, FinishAtTeardown, watch);
  watch->callback.Reset();
  watch->context.reset();
  uv_poll_stop(&watch->poll);
  uv_close(reinterpret_cast<uv_handle_t*>(&watch->poll), FreeWatch);
}

// An exception thrown by the JS callback must not vanish inside a libuv
// callback: hand it to Node as an uncaught exception.
void ReportCallbackException(Napi::Env env) {
  if (!env.IsExceptionPending()) return;
  Napi::Error error = env.GetAndClearPendingException();
  napi_fatal_exception(env, error.Value());
}

void OnPidfdReadable(uv_poll_t* handle, int status, int /*events*/) {
  auto* watch = reinterpret_cast<PidfdWatch*>(handle);
  Napi::Env env(watch->env);
  Napi::HandleScope scope(env);
  Napi::Value result = env.Null();
  siginfo_t si;
  // status < 0 (the fd went bad) and "not our child" both report null: the
  // caller learns the exit status elsewhere (state, /proc).
  if (status == 0 && ReapPidfd(watch->pidfd, WNOHANG, &si) == ReapResult::kReaped) {
    result = ExitStatusObject(env, si);
  }
  Napi::FunctionReference callback = std::move(watch->callback);
  std::unique_ptr<Napi::AsyncContext> context = std::move(watch->context);
  Finish(watch);
  callback.MakeCallback(env.Global(), {result}, *context);
  ReportCallbackException(env);
}

}  // namespace

Napi::Value WatchPidfd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int pidfd;
  if (!ReadFd(info, 0, "pidfd", &pidfd)) return env.Undefined();
  if (!info[1].IsFunction()) {
    ThrowTypeError(env, "watchPidfd(pidfd, callback): callback must be a function");
    return env.Undefined();
  }
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || !loop) {
    ThrowSystemError(env, EINVAL, "uv_default_loop");
    return env.Undefined();
  }
  int flags = fcntl(pidfd, F_GETFL);
  if (flags < 0) {
    ThrowSystemError(env, errno, "fcntl");
    return env.Undefined();
  }
  auto watch = std::make_unique<PidfdWatch>();
  int rc = uv_poll_init(loop, &watch->poll, pidfd);
  if (rc < 0) {  // e.g. EEXIST: libuv allows one poll handle per fd
    ThrowSystemError(env, -rc, "uv_poll_init");
    return env.Undefined();
  }
  // uv_poll_init made the pidfd O_NONBLOCK, which turns a later blocking
  // waitid on it (waitPidfd, the same open file) into EAGAIN. epoll does not
  // need it, so put the caller's mode back.
  if (!(flags & O_NONBLOCK)) fcntl(pidfd, F_SETFL, flags);
  watch->env = env;
  watch->pidfd = pidfd;
  watch->callback = Napi::Persistent(info[1].As<Napi::Function>());
  watch->context = std::make_unique<Napi::AsyncContext>(env, "ts-oci:watchPidfd");
  // From here on the handle is initialised: only uv_close may free it.
  PidfdWatch* raw = watch.release();
  // A worker that is torn down while waiting must not leave a handle behind.
  napi_add_env_cleanup_hook(env, FinishAtTeardown, raw);
  rc = uv_poll_start(&raw->poll, UV_READABLE, OnPidfdReadable);
  if (rc < 0) {
    Finish(raw);
    ThrowSystemError(env, -rc, "uv_poll_start");
    return env.Undefined();
  }
  // ref = false (a detached exec): still reaped when it exits, but the
  // watch alone does not keep Node running.
  if (info.Length() > 2 && info[2].IsBoolean() && !info[2].As<Napi::Boolean>().Value())
    uv_unref(reinterpret_cast<uv_handle_t*>(&raw->poll));
  return env.Undefined();
}

}  // namespace tsoci::addon
