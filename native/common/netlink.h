// A minimal rtnetlink client shared by the addon (moving a host network
// device into the container's namespace, reading its addresses) and
// ts-oci-init (renaming it, adding the addresses back, bringing it up).
// One request at a time on a blocking NETLINK_ROUTE socket, fixed buffers.
#pragma once
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace tsoci::nl {

// A request under construction: header, then family struct, then attributes.
struct Request {
  alignas(nlmsghdr) char buf[512];
  nlmsghdr* hdr() { return reinterpret_cast<nlmsghdr*>(buf); }
};

inline void* begin(Request* r, uint16_t type, uint16_t flags, size_t body) {
  memset(r->buf, 0, sizeof r->buf);
  nlmsghdr* h = r->hdr();
  h->nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(body));
  h->nlmsg_type = type;
  h->nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | flags);
  h->nlmsg_seq = 1;
  return NLMSG_DATA(h);
}

// Appends one attribute; false when it does not fit (callers bound lengths first).
inline bool put(Request* r, uint16_t type, const void* data, size_t len) {
  nlmsghdr* h = r->hdr();
  size_t at = NLMSG_ALIGN(h->nlmsg_len);
  size_t total = RTA_LENGTH(len);
  if (at + RTA_ALIGN(total) > sizeof r->buf) return false;
  rtattr* a = reinterpret_cast<rtattr*>(r->buf + at);
  a->rta_type = type;
  a->rta_len = static_cast<uint16_t>(total);
  memcpy(RTA_DATA(a), data, len);
  h->nlmsg_len = static_cast<uint32_t>(at + RTA_ALIGN(total));
  return true;
}

inline int open_route() { return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE); }

inline int send_request(int fd, Request* r) {
  sockaddr_nl kernel = {};
  kernel.nl_family = AF_NETLINK;
  ssize_t n;
  do n = sendto(fd, r->buf, r->hdr()->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel), sizeof kernel);
  while (n < 0 && errno == EINTR);
  return n < 0 ? -1 : 0;
}

inline ssize_t receive(int fd, char* buf, size_t cap) {
  ssize_t n;
  do n = recv(fd, buf, cap, 0);
  while (n < 0 && errno == EINTR);
  return n;
}

// Sends `r` with NLM_F_ACK and waits for the kernel's answer: 0, or -1 with errno set.
inline int transact(int fd, Request* r) {
  r->hdr()->nlmsg_flags |= NLM_F_ACK;
  if (send_request(fd, r) < 0) return -1;
  alignas(nlmsghdr) char reply[1024];
  for (;;) {
    ssize_t n = receive(fd, reply, sizeof reply);
    if (n < 0) return -1;
    for (nlmsghdr* h = reinterpret_cast<nlmsghdr*>(reply); NLMSG_OK(h, static_cast<unsigned>(n)); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type != NLMSG_ERROR) continue;
      int err = -reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
      if (err == 0) return 0;
      errno = err;
      return -1;
    }
  }
}

}  // namespace tsoci::nl
