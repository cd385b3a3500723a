// Small file-system calls that Node's fs does not offer: mkfifo, pipes,
// and close() of the raw fds the addon hands out.
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "bindings.h"
#include "errors.h"
#include "unique_fd.h"

namespace tsoci::addon {

Napi::Value Mkfifo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  int64_t mode;
  if (!ReadStringArg(info, 0, "path", &path) || !ReadInt(env, info[1], "mode", 0, 07777, &mode)) {
    return env.Undefined();
  }
  if (mkfifo(path.c_str(), static_cast<mode_t>(mode)) != 0) {
    ThrowSystemError(env, errno, "mkfifo", path);
    return env.Undefined();
  }
  // The process umask would strip the bits a non-root container user needs
  // to reopen the fifo for writing (runc's 0622): set the mode exactly.
  if (chmod(path.c_str(), static_cast<mode_t>(mode)) != 0) ThrowSystemError(env, errno, "chmod", path);
  return env.Undefined();
}

// Node has no pipe(2): exec's stdio pipes. Both ends O_CLOEXEC; the child's
// ends reach fds 0-2 of the helper through spawn's stdio dup3s only.
Napi::Value Pipe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    ThrowSystemError(env, errno, "pipe2");
    return env.Undefined();
  }
  Napi::Array result = Napi::Array::New(env, 2);
  result.Set(0u, fds[0]);
  result.Set(1u, fds[1]);
  return result;
}

Napi::Value Close(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  if (!ReadFd(info, 0, "fd", &fd)) return env.Undefined();
  // Linux releases the fd even when close() reports EINTR; retrying could
  // close an fd another thread just opened, so only EBADF is an error.
  if (close(fd) != 0 && errno == EBADF) ThrowSystemError(env, EBADF, "close");
  return env.Undefined();
}

}  // namespace tsoci::addon
