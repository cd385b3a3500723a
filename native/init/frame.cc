#include "init/frame.h"

#include <poll.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the wire format is little endian");

namespace tsoci {

// The socket should be blocking, but a caller may hand us a non-blocking
// one (libuv does for its stdio pipes): wait instead of failing.
static bool wait_ready(int fd, short events) {
  if (errno != EAGAIN) return false;
  struct pollfd p = {fd, events, 0};
  return poll(&p, 1, -1) >= 0 || errno == EINTR;
}

static int send_all(int fd, const void* data, size_t len) {
  const char* p = static_cast<const char*>(data);
  while (len) {
    // MSG_NOSIGNAL: a dead parent must give EPIPE, not kill us silently.
    ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || wait_ready(fd, POLLOUT))) continue;
    if (n < 0) return -1;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return 0;
}

// 1 when all bytes arrived, 0 on EOF (also mid-message), -1 on error.
static int recv_all(int fd, void* data, size_t len) {
  char* p = static_cast<char*>(data);
  while (len) {
    ssize_t n = read(fd, p, len);
    if (n < 0 && (errno == EINTR || wait_ready(fd, POLLIN))) continue;
    if (n < 0 && errno == ECONNRESET) return 0;
    if (n < 0) return -1;
    if (n == 0) return 0;
    p += n;
    len -= static_cast<size_t>(n);
  }
  return 1;
}

int frame_write_head(int fd, uint32_t type, uint32_t len) {
  char head[8];
  memcpy(head, &type, 4);
  memcpy(head + 4, &len, 4);
  return send_all(fd, head, sizeof head);
}

int frame_write(int fd, uint32_t type, const void* payload, uint32_t len) {
  if (frame_write_head(fd, type, len) < 0) return -1;
  return len ? send_all(fd, payload, len) : 0;
}

int frame_read(int fd, uint32_t* type, char** payload, uint32_t* len, uint32_t max_len) {
  char head[8];
  int r = recv_all(fd, head, sizeof head);
  if (r <= 0) return r;
  memcpy(type, head, 4);
  memcpy(len, head + 4, 4);
  if (*len > max_len) {
    errno = EMSGSIZE;
    return -1;
  }
  char* buf = static_cast<char*>(malloc(static_cast<size_t>(*len) + 1));
  if (!buf) return -1;
  r = recv_all(fd, buf, *len);
  if (r <= 0) {
    free(buf);
    return r;
  }
  buf[*len] = '\0';
  *payload = buf;
  return 1;
}

}  // namespace tsoci
