// Descriptors over unix sockets (SCM_RIGHTS): the seccomp listener fd and
// the pty master come back from ts-oci-init this way, and go on to the
// listener or console socket an engine named.
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "args.h"
#include "common/scm_rights.h"
#include "bindings.h"
#include "errors.h"
#include "unique_fd.h"

namespace tsoci::addon {
namespace {

constexpr int64_t kMaxMessage = 1 << 20;

// One recvmsg; any fd beyond the first is closed (only one is ever sent),
// and a truncated control message is an error rather than a leak.
int RecvOne(int sock, std::vector<char>* data, int* fd) {
  *fd = -1;
  union {
    char buf[CMSG_SPACE(sizeof(int) * 4)];
    struct cmsghdr align;
  } control;
  struct iovec iov = {data->data(), data->size()};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  ssize_t n;
  do n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
  while (n < 0 && errno == EINTR);
  if (n < 0) return -1;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    int* fds = reinterpret_cast<int*>(CMSG_DATA(c));
    for (size_t i = 0; i < count; ++i) {
      if (*fd < 0) *fd = fds[i];
      else close(fds[i]);
    }
  }
  if (msg.msg_flags & MSG_CTRUNC) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
    errno = EMSGSIZE;
    return -1;
  }
  data->resize(static_cast<size_t>(n));
  return 0;
}

class RecvFdWorker : public Napi::AsyncWorker {
 public:
  RecvFdWorker(Napi::Env env, int sock, size_t maxLen)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), sock_(sock), data_(maxLen) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override {
    if (RecvOne(sock_, &data_, &fd_) < 0) err_ = errno;
  }
  void OnOK() override {
    Napi::Env env = Env();
    if (err_) {
      deferred_.Reject(MakeSystemError(env, err_, "recvmsg"));
      return;
    }
    Napi::Object result = Napi::Object::New(env);
    result.Set("fd", fd_);
    result.Set("data", Napi::Buffer<char>::Copy(env, data_.data(), data_.size()));
    deferred_.Resolve(result);
  }

 private:
  Napi::Promise::Deferred deferred_;
  int sock_;
  std::vector<char> data_;
  int fd_ = -1;
  int err_ = 0;
};

}  // namespace

Napi::Value RecvFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int sock;
  int64_t maxLen;
  if (!ReadFd(info, 0, "sockFd", &sock) || !ReadInt(env, info[1], "maxLen", 1, kMaxMessage, &maxLen))
    return env.Undefined();
  auto* worker = new RecvFdWorker(env, sock, static_cast<size_t>(maxLen));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value SendFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int sock, fd;
  if (!ReadFd(info, 0, "sockFd", &sock) || !ReadFd(info, 1, "fd", &fd)) return env.Undefined();
  if (info.Length() < 3 || !info[2].IsBuffer() || info[2].As<Napi::Buffer<char>>().Length() == 0) {
    ThrowTypeError(env, "sendFd: data must be a non-empty Buffer");  // an fd needs a byte to ride on
    return env.Undefined();
  }
  auto data = info[2].As<Napi::Buffer<char>>();
  ssize_t n = sendmsg_with_fd(sock, fd, data.Data(), data.Length());
  if (n < 0) ThrowSystemError(env, errno, "sendmsg");
  else if (static_cast<size_t>(n) != data.Length()) ThrowSystemError(env, EMSGSIZE, "sendmsg");
  return env.Undefined();
}

Napi::Value ConnectUnix(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path;
  if (!ReadStringArg(info, 0, "path", &path)) return env.Undefined();
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path) {
    ThrowSystemError(env, ENAMETOOLONG, "connect", path);
    return env.Undefined();
  }
  memcpy(addr.sun_path, path.data(), path.size());
  UniqueFd sock(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!sock.Valid()) {
    ThrowSystemError(env, errno, "socket", path);
    return env.Undefined();
  }
  // A unix connect completes at once or fails (ECONNREFUSED, ENOENT); it
  // waits only while the listener's backlog is full, never on a network.
  int rc;
  do rc = connect(sock.Get(), reinterpret_cast<struct sockaddr*>(&addr), sizeof addr);
  while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    ThrowSystemError(env, errno, "connect", path);
    return env.Undefined();
  }
  return Napi::Number::New(env, sock.Release());
}

}  // namespace tsoci::addon
