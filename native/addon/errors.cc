#include "errors.h"

#include <string.h>

namespace tsoci::addon {
namespace {

struct ErrorClassSlot {
  Napi::FunctionReference ctor;
};

ErrorClassSlot* Slot(Napi::Env env) {
  auto* slot = env.GetInstanceData<ErrorClassSlot>();
  if (!slot) {
    slot = new ErrorClassSlot();
    env.SetInstanceData(slot);  // deleted by node-addon-api when the env is torn down
  }
  return slot;
}

std::string ErrnoName(int err) {
  // strerrorname_np (glibc 2.32) returns NULL for numbers it does not know.
  const char* name = strerrorname_np(err);
  return name ? std::string(name) : "E" + std::to_string(err);
}

Napi::Object SystemErrorFields(Napi::Env env, int err, const char* syscall, const std::string& path) {
  Napi::Object fields = Napi::Object::New(env);
  fields.Set("code", ErrnoName(err));
  fields.Set("errno", err);
  fields.Set("syscall", syscall);
  if (!path.empty()) fields.Set("path", path);
  return fields;
}

// Without a registered class (setErrorClass not called yet) the same fields go
// on a plain Error, with the message ContainerSystemError would have built.
Napi::Value PlainSystemError(Napi::Env env, Napi::Object fields, int err, const char* syscall,
                             const std::string& path) {
  std::string what = syscall;
  if (!path.empty()) what += " " + path;
  Napi::Error error = Napi::Error::New(env, what + ": " + ErrnoName(err));
  Napi::Object obj = error.Value();
  for (const char* key : {"code", "errno", "syscall", "path"}) {
    if (fields.Has(key)) obj.Set(key, fields.Get(key));
  }
  return obj;
}

}  // namespace

Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsFunction()) {
    ThrowTypeError(env, "setErrorClass(ctor): ctor must be a function");
    return env.Undefined();
  }
  Slot(env)->ctor = Napi::Persistent(info[0].As<Napi::Function>());
  return env.Undefined();
}

Napi::Value MakeSystemError(Napi::Env env, int err, const char* syscall, const std::string& path) {
  Napi::Object fields = SystemErrorFields(env, err, syscall, path);
  ErrorClassSlot* slot = Slot(env);
  if (slot->ctor.IsEmpty()) return PlainSystemError(env, fields, err, syscall, path);
  return slot->ctor.New({fields});
}

void ThrowSystemError(Napi::Env env, int err, const char* syscall, const std::string& path) {
  Napi::Value error = MakeSystemError(env, err, syscall, path);
  if (env.IsExceptionPending()) return;  // the constructor itself threw: let that through
  napi_throw(env, error);
}

void ThrowTypeError(Napi::Env env, const std::string& message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
}

}  // namespace tsoci::addon
