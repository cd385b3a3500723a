// One sendmsg carrying one descriptor (SCM_RIGHTS): shared by the addon and
// ts-oci-init, which link nothing else in common. Async-signal-safe.
#pragma once
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace tsoci {

// Returns what sendmsg returns (retrying EINTR); a dead peer gives EPIPE,
// never SIGPIPE.
inline ssize_t sendmsg_with_fd(int sock, int fd, const void* data, size_t len) {
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof control);
  struct iovec iov = {const_cast<void*>(data), len};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control.buf;
  msg.msg_controllen = sizeof control.buf;
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  ssize_t n;
  do n = sendmsg(sock, &msg, MSG_NOSIGNAL);
  while (n < 0 && errno == EINTR);
  return n;
}

}  // namespace tsoci
