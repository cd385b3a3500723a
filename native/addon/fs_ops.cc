// Small file-system calls that Node's fs does not offer: mkfifo, OFD locks,
// pipes, and close() of the raw fds the addon hands out.
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

// An OFD lock (not a POSIX record lock) belongs to the open file description,
// so it is not dropped when some unrelated fd on the same file is closed
// elsewhere in the process, and it serialises threads of one process too.
Napi::Value LockFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  if (!ReadStringArg(info, 0, "path", &path)) return env.Undefined();
  UniqueFd fd(open(path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600));
  if (!fd.Valid()) {
    ThrowSystemError(env, errno, "open", path);
    return env.Undefined();
  }
  struct flock lock = {};
  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;  // l_start = l_len = 0: the whole file, however it grows
  int rc;
  do {
    rc = fcntl(fd.Get(), F_OFD_SETLKW, &lock);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    ThrowSystemError(env, errno, "fcntl", path);
    return env.Undefined();
  }
  return Napi::Number::New(env, fd.Release());
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
