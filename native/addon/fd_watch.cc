// watchFd: one callback when a descriptor becomes readable or writable
// (uv_poll_t in the calling environment's loop; no thread, no timer), and
// unwatchFd to cancel it. The terminal stream reads and writes the pty
// master itself with it: libuv's tty stream ends a read at POLLHUP after
// any short read, dropping the output a container wrote just before it
// exited, which a pty keeps readable until EIO.
//
// Each watch polls its own dup of the fd, so a read watch and a write watch
// can wait at once (libuv allows one poll handle per fd number) and closing
// the caller's fd never leaves epoll watching a recycled number. The dup
// shares the open file, which uv_poll_init leaves O_NONBLOCK, as the
// stream wants.
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <uv.h>

#include <memory>
#include <unordered_map>

#include "args.h"
#include "bindings.h"
#include "errors.h"

namespace tsoci::addon {
namespace {

struct FdWatch {
  uv_poll_t poll;  // first member: the uv handle pointer is the watch pointer
  napi_env env;
  int fd;  // our dup
  uint32_t id;
  Napi::FunctionReference callback;
  std::unique_ptr<Napi::AsyncContext> context;
};

// Live watches by id, so unwatchFd of a finished watch is a no-op instead
// of a use-after-free. The addon runs its watches on the main thread's
// loop and on workers' loops: ids are unique across them, the map is not
// shared state in practice but is guarded anyway.
std::unordered_map<uint32_t, FdWatch*> g_watches;
uv_mutex_t g_lock;
uv_once_t g_once = UV_ONCE_INIT;
uint32_t g_next_id = 1;

void InitLock() { uv_mutex_init(&g_lock); }

void FreeWatch(uv_handle_t* handle) {
  auto* watch = reinterpret_cast<FdWatch*>(handle);
  close(watch->fd);
  delete watch;
}

void Finish(FdWatch* watch);
void FinishAtTeardown(void* watch) { Finish(static_cast<FdWatch*>(watch)); }

void Finish(FdWatch* watch) {
  uv_mutex_lock(&g_lock);
  g_watches.erase(watch->id);
  uv_mutex_unlock(&g_lock);
  napi_remove_env_cleanup_hook(watch->env, FinishAtTeardown, watch);
  watch->callback.Reset();
  watch->context.reset();
  uv_poll_stop(&watch->poll);
  uv_close(reinterpret_cast<uv_handle_t*>(&watch->poll), FreeWatch);
}

void OnReady(uv_poll_t* handle, int status, int /*events*/) {
  auto* watch = reinterpret_cast<FdWatch*>(handle);
  Napi::Env env(watch->env);
  Napi::HandleScope scope(env);
  Napi::FunctionReference callback = std::move(watch->callback);
  std::unique_ptr<Napi::AsyncContext> context = std::move(watch->context);
  Finish(watch);
  // 0, or a negative errno when the fd went bad (the caller's read says why).
  callback.MakeCallback(env.Global(), {Napi::Number::New(env, status)}, *context);
  if (env.IsExceptionPending()) napi_fatal_exception(env, env.GetAndClearPendingException().Value());
}

int StartWatch(Napi::Env env, int fd, bool writable, Napi::Function cb, uint32_t* id) {
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || !loop) return EINVAL;
  int dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  if (dup_fd < 0) return errno;
  auto watch = std::make_unique<FdWatch>();
  int rc = uv_poll_init(loop, &watch->poll, dup_fd);
  if (rc < 0) {
    close(dup_fd);
    return -rc;
  }
  watch->env = env;
  watch->fd = dup_fd;
  watch->callback = Napi::Persistent(cb);
  watch->context = std::make_unique<Napi::AsyncContext>(env, "ts-oci:watchFd");
  FdWatch* raw = watch.release();  // initialised: only uv_close may free it now
  uv_once(&g_once, InitLock);
  uv_mutex_lock(&g_lock);
  raw->id = *id = g_next_id++;
  g_watches[raw->id] = raw;
  uv_mutex_unlock(&g_lock);
  napi_add_env_cleanup_hook(env, FinishAtTeardown, raw);
  rc = uv_poll_start(&raw->poll, writable ? UV_WRITABLE : UV_READABLE, OnReady);
  if (rc < 0) Finish(raw);
  return rc < 0 ? -rc : 0;
}

}  // namespace

Napi::Value WatchFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  if (!ReadFd(info, 0, "fd", &fd)) return env.Undefined();
  if (!info[1].IsBoolean() || !info[2].IsFunction()) {
    ThrowTypeError(env, "watchFd(fd, writable, callback): writable must be a boolean, callback a function");
    return env.Undefined();
  }
  uint32_t id = 0;
  int err = StartWatch(env, fd, info[1].As<Napi::Boolean>().Value(), info[2].As<Napi::Function>(), &id);
  if (err) {
    ThrowSystemError(env, err, "uv_poll_start");
    return env.Undefined();
  }
  return Napi::Number::New(env, id);
}

Napi::Value UnwatchFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t id;
  if (!ReadInt(env, info[0], "id", 1, UINT32_MAX, &id)) return env.Undefined();
  uv_once(&g_once, InitLock);
  uv_mutex_lock(&g_lock);
  auto it = g_watches.find(static_cast<uint32_t>(id));
  FdWatch* watch = it == g_watches.end() ? nullptr : it->second;
  uv_mutex_unlock(&g_lock);
  // Only this environment's own watches: another loop's handle is not ours to close.
  if (watch && watch->env == static_cast<napi_env>(env)) Finish(watch);
  return env.Undefined();
}

}  // namespace tsoci::addon
