// NETDEV_SETUP: a network device the runtime moved into this network
// namespace (linux.netDevices) gets its final name (a "%d" template is
// resolved by the kernel here), its permanent global addresses back (a
// namespace change drops them) and is brought up, as the spec requires.
#include <linux/if_addr.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/netlink.h"
#include "init/error.h"
#include "init/ops.h"

namespace tsoci {
namespace {

int rename_link(int fd, unsigned index, const char* name) {
  nl::Request r;
  ifinfomsg* ifi = static_cast<ifinfomsg*>(nl::begin(&r, RTM_NEWLINK, 0, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = static_cast<int>(index);
  nl::put(&r, IFLA_IFNAME, name, strlen(name) + 1);
  return nl::transact(fd, &r);
}

int link_up(int fd, unsigned index) {
  nl::Request r;
  ifinfomsg* ifi = static_cast<ifinfomsg*>(nl::begin(&r, RTM_NEWLINK, 0, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = static_cast<int>(index);
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  return nl::transact(fd, &r);
}

bool valid(const NetdevAddr& a) {
  if (a.family == AF_INET) return a.len == 4 && a.prefixlen <= 32;
  if (a.family == AF_INET6) return a.len == 16 && a.prefixlen <= 128;
  return false;
}

int add_address(int fd, unsigned index, const NetdevAddr& a) {
  nl::Request r;
  ifaddrmsg* ifa = static_cast<ifaddrmsg*>(nl::begin(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(ifaddrmsg)));
  ifa->ifa_family = a.family;
  ifa->ifa_prefixlen = a.prefixlen;
  ifa->ifa_scope = a.scope;
  ifa->ifa_index = index;
  // Only the flags a user may set: the rest (tentative, deprecated...) are the kernel's state.
  uint32_t flags = a.flags & (IFA_F_NODAD | IFA_F_NOPREFIXROUTE | IFA_F_MANAGETEMPADDR | IFA_F_HOMEADDRESS);
  ifa->ifa_flags = static_cast<uint8_t>(flags);
  static const uint8_t zero[16] = {};
  if (memcmp(a.local, zero, a.len) != 0) nl::put(&r, IFA_LOCAL, a.local, a.len);
  nl::put(&r, IFA_ADDRESS, a.address, a.len);
  if (flags > 0xff) nl::put(&r, IFA_FLAGS, &flags, sizeof flags);
  return nl::transact(fd, &r);
}

}  // namespace

int op_netdev_setup(Ctx&, ArgReader& a, ErrorRecord* err) {
  const char* name = a.str();
  const char* final_name = a.str();
  const PlanArg& blob = a.blob();
  if (strlen(name) >= IFNAMSIZ || strlen(final_name) >= IFNAMSIZ || blob.len % sizeof(NetdevAddr) != 0)
    return detail_error(err, EINVAL, "netlink", name, "malformed network device step in the plan");
  unsigned index = if_nametoindex(name);
  if (index == 0) return sys_error(err, "if_nametoindex", name);
  int fd = nl::open_route();
  if (fd < 0) return sys_error(err, "socket", "AF_NETLINK");
  int rc = 0;
  if (strcmp(name, final_name) != 0 && rename_link(fd, index, final_name) < 0) rc = sys_error(err, "netlink RTM_NEWLINK", final_name);
  for (uint32_t off = 0; rc == 0 && off < blob.len; off += sizeof(NetdevAddr)) {
    NetdevAddr addr;
    memcpy(&addr, blob.str + off, sizeof addr);
    if (!valid(addr)) rc = detail_error(err, EINVAL, "netlink", name, "malformed address in the plan");
    else if (add_address(fd, index, addr) < 0) rc = sys_error(err, "netlink RTM_NEWADDR", name);
  }
  if (rc == 0 && link_up(fd, index) < 0) rc = sys_error(err, "netlink RTM_NEWLINK", name);
  close(fd);
  return rc;
}

}  // namespace tsoci
