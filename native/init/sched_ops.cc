// PERSONALITY, SCHED_SETATTR, IOPRIO_SET, SET_MEMPOLICY, SCHED_SETAFFINITY:
// per-task settings that execve keeps. TS has validated and encoded every
// value; the helper re-checks the ranges the kernel would otherwise
// interpret as something else (a class of 0 is "none", a huge nodemask
// count would read past the plan).
#include <sched.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <vector>

#include "init/error.h"
#include "init/ops.h"

namespace tsoci {
namespace {

// linux/sched/types.h, SCHED_ATTR_SIZE_VER1 (with the util clamp fields).
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
  uint32_t sched_util_min;
  uint32_t sched_util_max;
};

constexpr int64_t kMaxPolicy = 6;       // SCHED_DEADLINE
constexpr int kIoprioWhoProcess = 1;    // linux/ioprio.h
constexpr size_t kMaxMaskWords = 1024;  // 65536 cpus or nodes

int bad_value(ErrorRecord* err, const char* syscall, const char* what) {
  return detail_error(err, EINVAL, syscall, "", "%s out of range in the plan", what);
}

int read_mask(ArgReader& a, std::vector<unsigned long>* mask, ErrorRecord* err, const char* syscall) {
  std::vector<int64_t> words;
  a.nums(&words);
  if (words.empty() || words.size() > kMaxMaskWords) return bad_value(err, syscall, "mask length");
  mask->assign(words.begin(), words.end());
  return 0;
}

}  // namespace

int op_personality(Ctx&, ArgReader& a, ErrorRecord* err) {
  int64_t persona = a.num();
  if (persona < 0 || persona > 0xffffffffLL) return bad_value(err, "personality", "persona");
  if (personality(static_cast<unsigned long>(persona)) < 0) return sys_error(err, "personality", "");
  // personality(2) reports the previous persona, never whether the new one took.
  if (personality(0xffffffff) != static_cast<int>(persona))
    return detail_error(err, EINVAL, "personality", "", "the kernel did not accept persona 0x%llx",
                        static_cast<unsigned long long>(persona));
  return 0;
}

int op_sched_setattr(Ctx&, ArgReader& a, ErrorRecord* err) {
  SchedAttr attr = {};
  attr.size = sizeof attr;
  int64_t policy = a.num();
  int64_t flags = a.num();
  int64_t nice = a.num();
  int64_t priority = a.num();
  if (policy < 0 || policy > kMaxPolicy) return bad_value(err, "sched_setattr", "policy");
  if (nice < -20 || nice > 19) return bad_value(err, "sched_setattr", "nice");
  if (priority < 0 || priority > 99) return bad_value(err, "sched_setattr", "priority");
  attr.sched_policy = static_cast<uint32_t>(policy);
  attr.sched_flags = static_cast<uint64_t>(flags);
  attr.sched_nice = static_cast<int32_t>(nice);
  attr.sched_priority = static_cast<uint32_t>(priority);
  attr.sched_runtime = static_cast<uint64_t>(a.num());
  attr.sched_deadline = static_cast<uint64_t>(a.num());
  attr.sched_period = static_cast<uint64_t>(a.num());
  if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0) return sys_error(err, "sched_setattr", "");
  return 0;
}

int op_ioprio_set(Ctx&, ArgReader& a, ErrorRecord* err) {
  int64_t prio = a.num();
  int64_t cls = prio >> 13;
  if (cls < 1 || cls > 3 || (prio & 0x1fff) > 7) return bad_value(err, "ioprio_set", "priority");
  if (syscall(SYS_ioprio_set, kIoprioWhoProcess, 0, static_cast<int>(prio)) < 0)
    return sys_error(err, "ioprio_set", "");
  return 0;
}

int op_set_mempolicy(Ctx&, ArgReader& a, ErrorRecord* err) {
  int64_t mode = a.num();
  std::vector<unsigned long> mask;
  if (read_mask(a, &mask, err, "set_mempolicy") < 0) return -1;
  if (mode < 0 || mode > 0xffffffffLL) return bad_value(err, "set_mempolicy", "mode");
  // An all-zero mask means "no nodes" (MPOL_DEFAULT, MPOL_LOCAL): pass NULL as the kernel wants.
  bool empty = true;
  for (unsigned long w : mask) empty = empty && w == 0;
  unsigned long maxnode = mask.size() * 8 * sizeof(unsigned long) + 1;
  long rc = syscall(SYS_set_mempolicy, static_cast<int>(mode), empty ? nullptr : mask.data(), empty ? 0 : maxnode);
  if (rc < 0) return sys_error(err, "set_mempolicy", "");
  return 0;
}

int op_sched_setaffinity(Ctx&, ArgReader& a, ErrorRecord* err) {
  std::vector<unsigned long> mask;
  if (read_mask(a, &mask, err, "sched_setaffinity") < 0) return -1;
  if (syscall(SYS_sched_setaffinity, 0, mask.size() * sizeof(unsigned long), mask.data()) < 0)
    return sys_error(err, "sched_setaffinity", "");
  return 0;
}

}  // namespace tsoci
