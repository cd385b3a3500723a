// The per-container OFD lock, taken without blocking the event loop:
// tryLockFile (F_OFD_SETLK, never waits) for the uncontended case, and
// lockFileWait (F_OFD_SETLKW on the libuv threadpool) when another process
// holds it. lib/state/lock.ts puts an in-process mutex in front, so at most
// one threadpool thread per container per process ever waits here.
//
// An OFD lock (not a POSIX record lock) belongs to the open file description,
// so it is not dropped when some unrelated fd on the same file is closed
// elsewhere in the process, and it serialises threads of one process too.
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "unique_fd.h"

namespace tsoci::addon {
namespace {

struct LockResult {
  int fd = -1;
  int err = 0;              // errno of the failing call, 0 on success or "busy"
  const char* syscall = "";
};

// wait=false: a lock held elsewhere gives fd -1 and err 0 ("busy").
LockResult OpenAndLock(const std::string& path, bool wait) {
  LockResult r;
  UniqueFd fd(open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
  if (!fd.Valid()) {
    r.err = errno;
    r.syscall = "open";
    return r;
  }
  struct flock lock = {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;  // l_start = l_len = 0: the whole file, however it grows
  int rc;
  do {
    rc = fcntl(fd.Get(), wait ? F_OFD_SETLKW : F_OFD_SETLK, &lock);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    if (!wait && (errno == EAGAIN || errno == EACCES)) return r;
    r.err = errno;
    r.syscall = "fcntl";
    return r;
  }
  r.fd = fd.Release();
  return r;
}

class LockWaitWorker : public Napi::AsyncWorker {
 public:
  LockWaitWorker(Napi::Env env, std::string path)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), path_(std::move(path)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override { result_ = OpenAndLock(path_, true); }
  void OnOK() override {
    Napi::Env env = Env();
    if (result_.err) {
      deferred_.Reject(MakeSystemError(env, result_.err, result_.syscall, path_));
      return;
    }
    deferred_.Resolve(Napi::Number::New(env, result_.fd));
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::string path_;
  LockResult result_;
};

}  // namespace

Napi::Value TryLockFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  if (!ReadStringArg(info, 0, "path", &path)) return env.Undefined();
  LockResult r = OpenAndLock(path, false);
  if (r.err) {
    ThrowSystemError(env, r.err, r.syscall, path);
    return env.Undefined();
  }
  return Napi::Number::New(env, r.fd);
}

Napi::Value LockFileWait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  if (!ReadStringArg(info, 0, "path", &path)) return env.Undefined();
  auto* worker = new LockWaitWorker(env, path);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace tsoci::addon
