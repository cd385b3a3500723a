// linux.netDevices, the host side: the permanent global addresses of a host
// network device (the spec says they move with it, but the kernel drops
// addresses on a namespace change), and the move itself (RTM_NEWLINK with
// IFLA_NET_NS_FD, renamed in the same message when a plain name is asked).
// ts-oci-init adds the addresses back and brings the device up.
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <net/if.h>

#include <string>
#include <vector>

#include "args.h"
#include "bindings.h"
#include "common/netlink.h"
#include "common/protocol.h"
#include "errors.h"
#include "unique_fd.h"

namespace tsoci::addon {
namespace {

uint32_t AddrFlags(ifaddrmsg* ifa, int len) {
  uint32_t flags = ifa->ifa_flags;
  for (rtattr* a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len))
    if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD(a) >= sizeof(uint32_t)) memcpy(&flags, RTA_DATA(a), sizeof flags);
  return flags;
}

// One RTM_NEWADDR of the dump as a NetdevAddr; false when it is not carried.
bool ToRecord(nlmsghdr* h, unsigned index, NetdevAddr* out) {
  ifaddrmsg* ifa = static_cast<ifaddrmsg*>(NLMSG_DATA(h));
  int len = static_cast<int>(IFA_PAYLOAD(h));
  if (ifa->ifa_index != index || ifa->ifa_scope != RT_SCOPE_UNIVERSE) return false;
  if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6) return false;
  uint32_t flags = AddrFlags(ifa, len);
  if (!(flags & IFA_F_PERMANENT)) return false;
  *out = NetdevAddr{};
  out->family = ifa->ifa_family;
  out->prefixlen = ifa->ifa_prefixlen;
  out->scope = ifa->ifa_scope;
  out->len = ifa->ifa_family == AF_INET ? 4 : 16;
  out->flags = flags;
  for (rtattr* a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (RTA_PAYLOAD(a) != out->len) continue;
    if (a->rta_type == IFA_LOCAL) memcpy(out->local, RTA_DATA(a), out->len);
    if (a->rta_type == IFA_ADDRESS) memcpy(out->address, RTA_DATA(a), out->len);
  }
  return true;
}

int DumpAddresses(int fd, unsigned index, std::vector<NetdevAddr>* out) {
  nl::Request r;
  ifaddrmsg* ifa = static_cast<ifaddrmsg*>(nl::begin(&r, RTM_GETADDR, NLM_F_DUMP, sizeof(ifaddrmsg)));
  ifa->ifa_family = AF_UNSPEC;
  if (nl::send_request(fd, &r) < 0) return -1;
  alignas(nlmsghdr) static char buf[32768];
  for (;;) {
    ssize_t n = nl::receive(fd, buf, sizeof buf);
    if (n < 0) return -1;
    for (nlmsghdr* h = reinterpret_cast<nlmsghdr*>(buf); NLMSG_OK(h, static_cast<unsigned>(n)); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type == NLMSG_DONE) return 0;
      if (h->nlmsg_type == NLMSG_ERROR) {
        errno = -reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error;
        return -1;
      }
      NetdevAddr rec;
      if (h->nlmsg_type == RTM_NEWADDR && ToRecord(h, index, &rec)) out->push_back(rec);
    }
  }
}

}  // namespace

// netdevAddresses(name) -> { index, addresses: Buffer of NetdevAddr records }
Napi::Value NetdevAddresses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name;
  if (!ReadStringArg(info, 0, "name", &name)) return env.Undefined();
  unsigned index = if_nametoindex(name.c_str());
  if (index == 0) {
    ThrowSystemError(env, errno, "if_nametoindex", name);
    return env.Undefined();
  }
  UniqueFd fd(nl::open_route());
  std::vector<NetdevAddr> addrs;
  if (!fd.Valid() || DumpAddresses(fd.Get(), index, &addrs) < 0) {
    ThrowSystemError(env, errno, "netlink RTM_GETADDR", name);
    return env.Undefined();
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("index", index);
  result.Set("addresses", Napi::Buffer<char>::Copy(env, reinterpret_cast<char*>(addrs.data()), addrs.size() * sizeof(NetdevAddr)));
  return result;
}

// netdevMove(index, nsFd, newName): newName "" keeps the name.
Napi::Value NetdevMove(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int64_t index;
  int ns_fd;
  std::string new_name;
  if (!ReadInt(env, info[0], "index", 1, INT32_MAX, &index) || !ReadFd(info, 1, "nsFd", &ns_fd) ||
      !ReadStringArg(info, 2, "newName", &new_name)) {
    return env.Undefined();
  }
  if (new_name.size() >= IFNAMSIZ) {
    ThrowTypeError(env, "netdevMove: newName longer than IFNAMSIZ");
    return env.Undefined();
  }
  nl::Request r;
  ifinfomsg* ifi = static_cast<ifinfomsg*>(nl::begin(&r, RTM_NEWLINK, 0, sizeof(ifinfomsg)));
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = static_cast<int>(index);
  uint32_t fd32 = static_cast<uint32_t>(ns_fd);
  nl::put(&r, IFLA_NET_NS_FD, &fd32, sizeof fd32);
  if (!new_name.empty()) nl::put(&r, IFLA_IFNAME, new_name.c_str(), new_name.size() + 1);
  UniqueFd fd(nl::open_route());
  if (!fd.Valid() || nl::transact(fd.Get(), &r) < 0) ThrowSystemError(env, errno, "netlink RTM_NEWLINK", std::to_string(index));
  return env.Undefined();
}

}  // namespace tsoci::addon
