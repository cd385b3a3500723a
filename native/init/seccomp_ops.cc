// SECCOMP: load the BPF program the runtime compiled with libseccomp (the
// helper stays free of libseccomp). Where it runs is TS's choice
// (lib/plan/seccomp.ts): before the credential steps when the load needs
// CAP_SYS_ADMIN, else deferred to EXEC, after every other syscall of ours.
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "init/error.h"
#include "init/fd_passing.h"
#include "init/ops.h"

namespace tsoci {
namespace {

// TSYNC, LOG, SPEC_ALLOW, NEW_LISTENER, TSYNC_ESRCH, WAIT_KILLABLE_RECV.
constexpr uint64_t kKnownFlags = (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5);
constexpr uint64_t kNewListener = 1u << 3;

int check_program(uint32_t len, uint64_t flags, ErrorRecord* err) {
  size_t count = len / sizeof(struct sock_filter);
  if (len % sizeof(struct sock_filter) || count == 0 || count > BPF_MAXINSNS)
    return detail_error(err, EINVAL, "seccomp", "", "seccomp program of %u bytes is malformed", len);
  if (flags & ~kKnownFlags)
    return detail_error(err, EINVAL, "seccomp", "", "unknown seccomp filter flags 0x%llx",
                        static_cast<unsigned long long>(flags));
  return 0;
}

// The listener goes to the runtime at once: nothing of ours may run into a
// NOTIFY rule before an agent holds the fd (TS refuses NOTIFY on the two
// syscalls this send makes, sendto and sendmsg).
int hand_over_listener(Ctx& c, int listener, ErrorRecord* err) {
  if (c.created) {
    close(listener);
    return detail_error(err, EINVAL, "seccomp", "", "a seccomp listener cannot be handed over after create");
  }
  const char tag = 'L';
  int rc = frame_write_fd(c.sync_fd, FRAME_SECCOMP_LISTENER, &tag, 1, listener);
  int e = errno;
  close(listener);
  if (rc < 0) return errno_error(err, e, "sendmsg", "seccomp listener");
  return 0;
}

int load(Ctx& c, const char* bpf, uint32_t len, uint64_t flags, ErrorRecord* err) {
  // The blob sits unaligned inside the plan payload.
  size_t count = len / sizeof(struct sock_filter);
  std::vector<struct sock_filter> insns(count);
  memcpy(insns.data(), bpf, len);
  struct sock_fprog prog = {static_cast<unsigned short>(count), insns.data()};
  // No NO_NEW_PRIVS of our own: TS placed this step where the kernel allows
  // it (NNP set by the config, or CAP_SYS_ADMIN still held).
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, static_cast<unsigned long>(flags), &prog);
  if (rc < 0) {
    int e = errno;
    char phrase[128];
    errno_phrase(e, phrase, sizeof phrase);
    return detail_error(err, e, "seccomp", "", "load seccomp filter: %s", phrase);
  }
  if (flags & kNewListener) return hand_over_listener(c, static_cast<int>(rc), err);
  return 0;
}

}  // namespace

int op_seccomp(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const PlanArg& bpf = a.blob();
  uint64_t flags = static_cast<uint64_t>(a.num());
  int64_t at_exec = a.num();
  if (check_program(bpf.len, flags, err) < 0) return -1;
  if (!at_exec) return load(c, bpf.str, bpf.len, flags, err);
  if (c.seccomp_bpf) return detail_error(err, EINVAL, "seccomp", "", "a second deferred seccomp program");
  c.seccomp_bpf = bpf.str;
  c.seccomp_len = bpf.len;
  c.seccomp_flags = flags;
  return 0;
}

int seccomp_load_deferred(Ctx& c, ErrorRecord* err) {
  if (!c.seccomp_bpf) return 0;
  return load(c, c.seccomp_bpf, c.seccomp_len, c.seccomp_flags, err);
}

}  // namespace tsoci
