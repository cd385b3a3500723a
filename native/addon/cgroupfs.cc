// cgroupApply: the host-side cgroupfs writes (v1 controller directories and
// limit files) as one ordered batch of mkdir/write/rmdir.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "unique_fd.h"

namespace tsoci::addon {
namespace {

struct CgroupOp {
  std::string op;
  std::string path;
  std::string value;
  bool retry_after_next = false;
};

bool ReadOp(Napi::Env env, Napi::Value item, CgroupOp* out) {
  if (!item.IsObject()) {
    ThrowTypeError(env, "cgroupApply: each op must be an object");
    return false;
  }
  Napi::Object obj = item.As<Napi::Object>();
  if (!ReadString(env, obj.Get("op"), "op.op", &out->op) || !ReadString(env, obj.Get("path"), "op.path", &out->path)) {
    return false;
  }
  if (out->op == "write") {
    out->retry_after_next = obj.Get("retryAfterNext").ToBoolean().Value();
    return ReadString(env, obj.Get("value"), "op.value", &out->value);
  }
  if (out->op == "mkdir" || out->op == "rmdir") return true;
  ThrowTypeError(env, "cgroupApply: unknown op '" + out->op + "'");
  return false;
}

// Why an op failed: errno and the call, for the error the caller throws.
struct OpFailure {
  int err = 0;
  const char* syscall = "";
  std::string path;
};

bool Fail(OpFailure* f, const char* syscall, const std::string& path, int err = errno) {
  *f = {err, syscall, path};
  return false;
}

// cgroupfs files exist as soon as their directory does: never O_CREAT (a
// missing file means the controller is absent, reported as ENOENT on the
// path) and never O_TRUNC. The value goes in one write(2) because each
// write() is parsed as one complete value by the kernel.
bool WriteValue(const CgroupOp& op, OpFailure* f) {
  UniqueFd fd(open(op.path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.Valid()) return Fail(f, "open", op.path);
  ssize_t n;
  do {
    n = write(fd.Get(), op.value.data(), op.value.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Fail(f, "write", op.path);
  if (static_cast<size_t>(n) != op.value.size()) return Fail(f, "write", op.path, EIO);
  return true;
}

bool Apply(const CgroupOp& op, OpFailure* f) {
  if (op.op == "write") return WriteValue(op, f);
  if (op.op == "mkdir") {
    if (mkdir(op.path.c_str(), 0755) == 0 || errno == EEXIST) return true;
    return Fail(f, "mkdir", op.path);
  }
  if (rmdir(op.path.c_str()) == 0 || errno == ENOENT) return true;
  return Fail(f, "rmdir", op.path);
}

// Stops at the first failure: later ops (a limit, then the join) depend on
// earlier ones. A write marked retryAfterNext that the kernel refuses with
// EINVAL is written again after the next op, as runc does for v1 cpu: a new
// cfs period (or rt period) can be invalid against the current quota (or
// runtime) until the new quota (runtime) is in.
bool ApplyAll(const std::vector<CgroupOp>& ops, OpFailure* f) {
  const CgroupOp* deferred = nullptr;
  OpFailure deferred_failure;
  for (const CgroupOp& op : ops) {
    if (!Apply(op, f)) {
      if (!(op.retry_after_next && f->err == EINVAL && deferred == nullptr)) return false;
      deferred = &op;
      deferred_failure = *f;
      continue;
    }
    if (deferred != nullptr && deferred != &op) {
      if (!Apply(*deferred, f)) return false;
      deferred = nullptr;
    }
  }
  if (deferred != nullptr) {
    *f = deferred_failure;
    return false;
  }
  return true;
}

// Validates the whole batch first so a malformed op never leaves it half applied.
bool ReadOps(const Napi::CallbackInfo& info, std::vector<CgroupOp>* parsed) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) {
    ThrowTypeError(env, "cgroupApply(ops): ops must be an array");
    return false;
  }
  Napi::Array ops = info[0].As<Napi::Array>();
  parsed->resize(ops.Length());
  for (uint32_t i = 0; i < ops.Length(); i++) {
    if (!ReadOp(env, ops.Get(i), &(*parsed)[i])) return false;
  }
  return true;
}

// A v1 cgroup.procs write waits for an RCU grace period (~10 ms): on the
// threadpool, the event loop (and other containers' creates) go on meanwhile.
class ApplyWorker : public Napi::AsyncWorker {
 public:
  ApplyWorker(Napi::Env env, std::vector<CgroupOp> ops)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), ops_(std::move(ops)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override { ok_ = ApplyAll(ops_, &failure_); }
  void OnOK() override {
    Napi::Env env = Env();
    if (ok_) {
      deferred_.Resolve(env.Undefined());
    } else {
      deferred_.Reject(MakeSystemError(env, failure_.err, failure_.syscall, failure_.path));
    }
  }

 private:
  Napi::Promise::Deferred deferred_;
  std::vector<CgroupOp> ops_;
  OpFailure failure_;
  bool ok_ = false;
};

}  // namespace

Napi::Value CgroupApply(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<CgroupOp> parsed;
  if (!ReadOps(info, &parsed)) return env.Undefined();
  OpFailure f;
  if (!ApplyAll(parsed, &f)) ThrowSystemError(env, f.err, f.syscall, f.path);
  return env.Undefined();
}

Napi::Value CgroupApplyAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::vector<CgroupOp> parsed;
  if (!ReadOps(info, &parsed)) return env.Undefined();
  auto* worker = new ApplyWorker(env, std::move(parsed));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace tsoci::addon
