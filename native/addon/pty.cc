// The terminal calls Node lacks: making a pty master ready for the
// terminal stream, and setting the window size (the stream's resize(),
// SIGWINCH relayed by `run -t`; the kernel signals the terminal's
// foreground process group itself).
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <cerrno>

#include "args.h"
#include "bindings.h"
#include "errors.h"

namespace tsoci::addon {

Napi::Value PtyMaster(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  if (!ReadFd(info, 0, "fd", &fd)) return env.Undefined();
  unsigned n = 0;
  if (ioctl(fd, TIOCGPTN, &n) < 0) {  // only a master answers
    ThrowSystemError(env, errno, "ioctl(TIOCGPTN)");
    return env.Undefined();
  }
  // The stream reads and writes with plain syscalls between poll wake-ups:
  // they must never block the event loop.
  int flags = fcntl(fd, F_GETFL);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) ThrowSystemError(env, errno, "fcntl");
  return Napi::Number::New(env, n);
}

Napi::Value PtySetSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd;
  int64_t cols, rows;
  if (!ReadFd(info, 0, "fd", &fd) || !ReadInt(env, info[1], "cols", 0, 0xffff, &cols) ||
      !ReadInt(env, info[2], "rows", 0, 0xffff, &rows))
    return env.Undefined();
  struct winsize ws = {};
  ws.ws_col = static_cast<unsigned short>(cols);
  ws.ws_row = static_cast<unsigned short>(rows);
  int rc;
  do rc = ioctl(fd, TIOCSWINSZ, &ws);
  while (rc < 0 && errno == EINTR);
  if (rc < 0) ThrowSystemError(env, errno, "ioctl(TIOCSWINSZ)");
  return env.Undefined();
}

}  // namespace tsoci::addon
