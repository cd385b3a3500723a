// cgroup v1 OOM notification: an eventfd registered on memory.oom_control
// through cgroup.event_control (the kernel signals it at every OOM in the
// cgroup, and once more when the cgroup is removed). The wait is a blocking
// read on the libuv threadpool, never on the event loop; eventfdWrite wakes
// it to stop.
#include <errno.h>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>
#include <string>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "unique_fd.h"

namespace tsoci::addon {
namespace {

bool WriteAll(int fd, const std::string& s) {
  ssize_t n;
  do {
    n = write(fd, s.data(), s.size());
  } while (n < 0 && errno == EINTR);
  if (n >= 0 && static_cast<size_t>(n) != s.size()) errno = EIO;
  return n >= 0 && static_cast<size_t>(n) == s.size();
}

class EventfdReadWorker : public Napi::AsyncWorker {
 public:
  EventfdReadWorker(Napi::Env env, int fd) : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), fd_(fd) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    ssize_t n;
    do {
      n = read(fd_, &value_, sizeof(value_));
    } while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(sizeof(value_))) err_ = n < 0 ? errno : EIO;
  }
  void OnOK() override {
    if (err_) deferred_.Reject(MakeSystemError(Env(), err_, "read", "eventfd"));
    else deferred_.Resolve(Napi::Number::New(Env(), static_cast<double>(value_)));
  }

 private:
  Napi::Promise::Deferred deferred_;
  int fd_;
  uint64_t value_ = 0;
  int err_ = 0;
};

}  // namespace

// oomEventfd(memoryDir): an O_CLOEXEC eventfd signalled at each OOM of that v1 memory cgroup.
Napi::Value OomEventfd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string dir;
  if (!ReadStringArg(info, 0, "memoryDir", &dir)) return env.Undefined();
  UniqueFd efd(eventfd(0, EFD_CLOEXEC));
  if (!efd.Valid()) {
    ThrowSystemError(env, errno, "eventfd");
    return env.Undefined();
  }
  std::string oomControl = dir + "/memory.oom_control";
  std::string eventControl = dir + "/cgroup.event_control";
  UniqueFd ofd(open(oomControl.c_str(), O_RDONLY | O_CLOEXEC));
  if (!ofd.Valid()) {
    ThrowSystemError(env, errno, "open", oomControl);
    return env.Undefined();
  }
  UniqueFd cfd(open(eventControl.c_str(), O_WRONLY | O_CLOEXEC));
  if (!cfd.Valid()) {
    ThrowSystemError(env, errno, "open", eventControl);
    return env.Undefined();
  }
  // "<event_fd> <fd of the control file>"; the registration lives until the eventfd is closed.
  if (!WriteAll(cfd.Get(), std::to_string(efd.Get()) + " " + std::to_string(ofd.Get()))) {
    ThrowSystemError(env, errno, "write", eventControl);
    return env.Undefined();
  }
  return Napi::Number::New(env, efd.Release());
}

// eventfdRead(fd): Promise<number>, the counter, read on the threadpool.
Napi::Value EventfdRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  if (!ReadFd(info, 0, "fd", &fd)) return env.Undefined();
  auto* worker = new EventfdReadWorker(env, fd);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

// eventfdWrite(fd, value): adds to the counter (wakes a reader).
Napi::Value EventfdWrite(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  int64_t value;
  if (!ReadFd(info, 0, "fd", &fd) || !ReadInt(env, info[1], "value", 1, INT32_MAX, &value)) return env.Undefined();
  uint64_t v = static_cast<uint64_t>(value);
  ssize_t n;
  do {
    n = write(fd, &v, sizeof(v));
  } while (n < 0 && errno == EINTR);
  if (n < 0) ThrowSystemError(env, errno, "write", "eventfd");
  return env.Undefined();
}

}  // namespace tsoci::addon
