// CAP_BOUNDING, KEEPCAPS, CREDS, CAPS and NO_NEW_PRIVS (SECCOMP: seccomp_ops.cc).
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "init/error.h"
#include "init/ops.h"

namespace tsoci {

constexpr int kMaxCap = 63;  // capability sets are 64-bit masks on the wire

int op_cap_bounding(Ctx&, ArgReader& a, ErrorRecord* err) {
  uint64_t keep = static_cast<uint64_t>(a.num());
  for (int cap = 0; cap <= kMaxCap; ++cap) {
    int present = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (present < 0 && errno == EINVAL) break;  // past the kernel's last cap
    if (present < 0) return sys_error(err, "prctl", "PR_CAPBSET_READ");
    if (present == 0 || (keep & (1ull << cap))) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) return sys_error(err, "prctl", "PR_CAPBSET_DROP");
  }
  return 0;
}

int op_keepcaps(Ctx&, ArgReader& a, ErrorRecord* err) {
  unsigned long on = a.num() ? 1 : 0;
  if (prctl(PR_SET_KEEPCAPS, on, 0, 0, 0) < 0) return sys_error(err, "prctl", "PR_SET_KEEPCAPS");
  return 0;
}

// (uid_t)-1 is "unchanged" to setresuid/setresgid: an id of 4294967295
// would keep the helper's root credentials, so it is never a valid id.
constexpr int64_t kMaxId = 4294967294;

static int check_id(int64_t id, const char* what, ErrorRecord* err) {
  if (id >= 0 && id <= kMaxId) return 0;
  return detail_error(err, EINVAL, what, "", "%s %lld is outside 0..%lld", what, static_cast<long long>(id),
                      static_cast<long long>(kMaxId));
}

// The kernel's view after the calls: every id and the group list must be
// exactly what was asked, or the container would run with other credentials.
static int verify_ids(uid_t uid, gid_t gid, ErrorRecord* err) {
  uid_t ru, eu, su;
  gid_t rg, eg, sg;
  if (getresuid(&ru, &eu, &su) < 0) return sys_error(err, "getresuid", "");
  if (getresgid(&rg, &eg, &sg) < 0) return sys_error(err, "getresgid", "");
  if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid)
    return detail_error(err, EPERM, "setresuid", "", "credentials did not take: uid %u/%u/%u gid %u/%u/%u, want %u:%u",
                        ru, eu, su, rg, eg, sg, uid, gid);
  return 0;
}

// gid before uid: once the uid is not 0, setresgid is refused.
static int set_ids(int64_t uid, int64_t gid, ErrorRecord* err) {
  if (setresgid(static_cast<gid_t>(gid), static_cast<gid_t>(gid), static_cast<gid_t>(gid)) < 0)
    return sys_error(err, "setresgid", "");
  if (setresuid(static_cast<uid_t>(uid), static_cast<uid_t>(uid), static_cast<uid_t>(uid)) < 0)
    return sys_error(err, "setresuid", "");
  return verify_ids(static_cast<uid_t>(uid), static_cast<gid_t>(gid), err);
}

static int verify_groups(const std::vector<gid_t>& groups, ErrorRecord* err) {
  std::vector<gid_t> got(groups.size() + 1);
  int n = getgroups(static_cast<int>(got.size()), got.data());
  if (n < 0) return sys_error(err, "getgroups", "");
  got.resize(static_cast<size_t>(n));
  // The kernel keeps the list sorted.
  std::vector<gid_t> want(groups);
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  bool same = got == want;
  if (!same) return detail_error(err, EPERM, "setgroups", "", "additional groups did not take (%d groups, want %zu)", n,
                                 groups.size());
  return 0;
}

int op_creds(Ctx&, ArgReader& a, ErrorRecord* err) {
  int64_t uid = a.num();
  int64_t gid = a.num();
  std::vector<int64_t> wire;
  a.nums(&wire);
  if (check_id(uid, "uid", err) < 0 || check_id(gid, "gid", err) < 0) return -1;
  for (int64_t g : wire)
    if (check_id(g, "additional gid", err) < 0) return -1;
  std::vector<gid_t> groups(wire.begin(), wire.end());
  if (setgroups(groups.size(), groups.data()) < 0) return sys_error(err, "setgroups", "");
  if (set_ids(uid, gid, err) < 0) return -1;
  return verify_groups(groups, err);
}

// A user namespace whose setgroups is "deny" (made by an unprivileged
// user mapping only its own ids) refuses setgroups(2) even to its root:
// the ids only, and the groups stay what the creator had (runc does the same).
int op_creds_keep_groups(Ctx&, ArgReader& a, ErrorRecord* err) {
  int64_t uid = a.num();
  int64_t gid = a.num();
  if (check_id(uid, "uid", err) < 0 || check_id(gid, "gid", err) < 0) return -1;
  return set_ids(uid, gid, err);
}

int op_caps(Ctx&, ArgReader& a, ErrorRecord* err) {
  uint64_t effective = static_cast<uint64_t>(a.num());
  uint64_t permitted = static_cast<uint64_t>(a.num());
  uint64_t inheritable = static_cast<uint64_t>(a.num());
  uint64_t ambient = static_cast<uint64_t>(a.num());
  struct __user_cap_header_struct head = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  for (int i = 0; i < 2; ++i) {
    data[i].effective = static_cast<uint32_t>(effective >> (32 * i));
    data[i].permitted = static_cast<uint32_t>(permitted >> (32 * i));
    data[i].inheritable = static_cast<uint32_t>(inheritable >> (32 * i));
  }
  if (syscall(SYS_capset, &head, data) < 0) return sys_error(err, "capset", "");
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
    return sys_error(err, "prctl", "PR_CAP_AMBIENT_CLEAR_ALL");
  for (int cap = 0; cap <= kMaxCap; ++cap) {
    if (!(ambient & (1ull << cap))) continue;
    // Raising needs the cap in both permitted and inheritable.
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
      return detail_error(err, errno, "prctl", "PR_CAP_AMBIENT_RAISE", "cannot raise ambient capability %d: %s",
                          cap, strerror(errno));
  }
  return 0;
}

int op_no_new_privs(Ctx&, ArgReader&, ErrorRecord* err) {
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return sys_error(err, "prctl", "PR_SET_NO_NEW_PRIVS");
  return 0;
}

}  // namespace tsoci
