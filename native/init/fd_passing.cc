#include "init/fd_passing.h"

#include <cerrno>
#include <cstring>

#include "common/protocol.h"
#include "common/scm_rights.h"
#include "init/frame.h"

namespace tsoci {

int send_fd(int sock, int fd, const void* payload, size_t len) {
  if (len == 0 || fd < 0) {
    errno = EINVAL;
    return -1;
  }
  ssize_t n = sendmsg_with_fd(sock, fd, payload, len);
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
