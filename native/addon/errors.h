// Native failures become instances of the JS class handed to setErrorClass
// (lib/errors.ts ContainerSystemError), constructed with Node's SystemError
// fields: { code, errno, syscall, path }.
#pragma once
#include <napi.h>

#include <string>

namespace tsoci::addon {

// setErrorClass(ctor): remembered per Node environment (main thread or worker).
Napi::Value SetErrorClass(const Napi::CallbackInfo& info);

// The error object ThrowSystemError throws, for a promise to reject with.
// May leave an exception pending if the registered constructor threw.
Napi::Value MakeSystemError(Napi::Env env, int err, const char* syscall, const std::string& path = std::string());

// Throws (as a pending JS exception) a system error; `err` is a positive errno.
// An empty `path` is left out of the error object.
void ThrowSystemError(Napi::Env env, int err, const char* syscall, const std::string& path = std::string());

void ThrowTypeError(Napi::Env env, const std::string& message);

}  // namespace tsoci::addon
