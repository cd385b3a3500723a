#include "init/fd_passing.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/protocol.h"
#include "init/frame.h"

namespace tsoci {

int send_fd(int sock, int fd, const void* payload, size_t len) {
  if (len == 0 || fd < 0) {
    errno = EINVAL;
    return -1;
  }
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof control);
  struct iovec iov = {const_cast<void*>(payload), len};
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
  if (n < 0) return -1;
  // A short send would leave the fd attached to a partial payload.
  if (static_cast<size_t>(n) != len) {
    errno = EMSGSIZE;
    return -1;
  }
  return 0;
}

int frame_write_fd(int sock, uint32_t type, const void* payload, uint32_t len, int fd) {
  if (!(type & FRAME_FD_FLAG) || len == 0) {
    errno = EINVAL;
    return -1;
  }
  if (frame_write_head(sock, type, len) < 0) return -1;  // alone: see fd_passing.h
  return send_fd(sock, fd, payload, len);
}

}  // namespace tsoci
