// Argument readers for the binding functions. Each returns false after
// throwing a TypeError, so a caller just does `if (!ReadX(...)) return`.
#pragma once
#include <napi.h>

#include <cstdint>
#include <string>

namespace tsoci::addon {

// A JS number that is an integer in [min, max].
bool ReadInt(Napi::Env env, Napi::Value value, const char* name, int64_t min, int64_t max, int64_t* out);
bool ReadFd(const Napi::CallbackInfo& info, size_t index, const char* name, int* out);

// A JS string without NUL bytes (a NUL would silently cut a path short).
bool ReadString(Napi::Env env, Napi::Value value, const char* name, std::string* out);
bool ReadStringArg(const Napi::CallbackInfo& info, size_t index, const char* name, std::string* out);

}  // namespace tsoci::addon
