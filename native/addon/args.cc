#include "args.h"

#include <climits>
#include <cmath>

#include "errors.h"

namespace tsoci::addon {

bool ReadInt(Napi::Env env, Napi::Value value, const char* name, int64_t min, int64_t max, int64_t* out) {
  if (!value.IsNumber()) {
    ThrowTypeError(env, std::string(name) + " must be a number");
    return false;
  }
  double d = value.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::trunc(d) || d < static_cast<double>(min) || d > static_cast<double>(max)) {
    ThrowTypeError(env, std::string(name) + " must be an integer in [" + std::to_string(min) + ", " +
                            std::to_string(max) + "]");
    return false;
  }
  *out = static_cast<int64_t>(d);
  return true;
}

bool ReadFd(const Napi::CallbackInfo& info, size_t index, const char* name, int* out) {
  int64_t v;
  if (!ReadInt(info.Env(), info[index], name, 0, INT_MAX, &v)) return false;
  *out = static_cast<int>(v);
  return true;
}

bool ReadString(Napi::Env env, Napi::Value value, const char* name, std::string* out) {
  if (!value.IsString()) {
    ThrowTypeError(env, std::string(name) + " must be a string");
    return false;
  }
  std::string s = value.As<Napi::String>().Utf8Value();
  if (s.find('\0') != std::string::npos) {
    ThrowTypeError(env, std::string(name) + " must not contain NUL bytes");
    return false;
  }
  *out = std::move(s);
  return true;
}

bool ReadStringArg(const Napi::CallbackInfo& info, size_t index, const char* name, std::string* out) {
  return ReadString(info.Env(), info[index], name, out);
}

}  // namespace tsoci::addon
