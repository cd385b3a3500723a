// cgroupApply: the host-side cgroupfs writes (v1 controller directories and
// limit files) as one ordered batch of mkdir/write/rmdir.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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
  if (out->op == "write") return ReadString(env, obj.Get("value"), "op.value", &out->value);
  if (out->op == "mkdir" || out->op == "rmdir") return true;
  ThrowTypeError(env, "cgroupApply: unknown op '" + out->op + "'");
  return false;
}

// cgroupfs files exist as soon as their directory does: never O_CREAT (a
// missing file means the controller is absent, reported as ENOENT on the
// path) and never O_TRUNC. The value goes in one write(2) because each
// write() is parsed as one complete value by the kernel.
bool WriteValue(Napi::Env env, const CgroupOp& op) {
  UniqueFd fd(open(op.path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.Valid()) {
    ThrowSystemError(env, errno, "open", op.path);
    return false;
  }
  ssize_t n;
  do {
    n = write(fd.Get(), op.value.data(), op.value.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    ThrowSystemError(env, errno, "write", op.path);
    return false;
  }
  if (static_cast<size_t>(n) != op.value.size()) {
    ThrowSystemError(env, EIO, "write", op.path);
    return false;
  }
  return true;
}

bool Apply(Napi::Env env, const CgroupOp& op) {
  if (op.op == "write") return WriteValue(env, op);
  if (op.op == "mkdir") {
    if (mkdir(op.path.c_str(), 0755) == 0 || errno == EEXIST) return true;
    ThrowSystemError(env, errno, "mkdir", op.path);
    return false;
  }
  if (rmdir(op.path.c_str()) == 0 || errno == ENOENT) return true;
  ThrowSystemError(env, errno, "rmdir", op.path);
  return false;
}

}  // namespace

Napi::Value CgroupApply(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) {
    ThrowTypeError(env, "cgroupApply(ops): ops must be an array");
    return env.Undefined();
  }
  Napi::Array ops = info[0].As<Napi::Array>();
  // Validate the whole batch first so a malformed op never leaves it half applied.
  std::vector<CgroupOp> parsed(ops.Length());
  for (uint32_t i = 0; i < ops.Length(); i++) {
    if (!ReadOp(env, ops.Get(i), &parsed[i])) return env.Undefined();
  }
  for (const CgroupOp& op : parsed) {
    if (!Apply(env, op)) break;
  }
  return env.Undefined();
}

}  // namespace tsoci::addon
