#include "child_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

namespace tsoci::addon {
namespace {

// syscall(2) is a bare trap with no locks; the libc wrappers of some of
// these calls (close_range, execveat) are newer than the glibc we target.
long Sys(long nr, long a = 0, long b = 0, long c = 0, long d = 0, long e = 0) {
  long rc = syscall(nr, a, b, c, d, e);
  return rc < 0 ? -errno : rc;
}

[[noreturn]] void Fail(const ChildExecPlan& plan, ChildStep step, long negErr) {
  ChildFailure failure = {step, static_cast<int>(-negErr)};
  Sys(SYS_write, plan.statusFd, reinterpret_cast<long>(&failure), sizeof failure);
  Sys(SYS_exit_group, 127);
  __builtin_unreachable();
}

// In a new user namespace the helper must be exec'd as the namespace's uid
// 0: execve computes capabilities from the ids (cap_bprm_creds_from_file),
// and an id the namespace does not map (or maps to someone else) gets none,
// so the helper could not mount anything. The parent writes the maps while
// we wait; then root in the namespace, by raw syscalls (glibc's setresuid
// would signal threads that only exist in the parent).
void BecomeNamespaceRoot(const ChildExecPlan& plan) {
  char go = 0;
  long rc;
  do rc = Sys(SYS_read, plan.syncFd, reinterpret_cast<long>(&go), 1);
  while (rc == -EINTR);
  if (rc != 1 || go != 'G') Fail(plan, kStepRelease, rc < 0 ? rc : -EPIPE);
  rc = Sys(SYS_setresgid, 0, 0, 0);
  if (rc < 0) Fail(plan, kStepSetresgid, rc);
  rc = Sys(SYS_setresuid, 0, 0, 0);
  if (rc < 0) Fail(plan, kStepSetresuid, rc);
}

}  // namespace

void ExecHelperInChild(const ChildExecPlan& plan) {
  if (plan.holdForMaps) BecomeNamespaceRoot(plan);
  // Stdio and the preserved fds are the container's: they must survive both
  // execs whatever close-on-exec flag Node or the caller left on them.
  for (int fd = 0; fd < plan.targetFd; fd++) {
    long flags = Sys(SYS_fcntl, fd, F_GETFD);
    // A preserved slot must hold the caller's fd, never whatever the helper opens next.
    if (flags == -EBADF && fd >= 3) Fail(plan, kStepPreservedFd, flags);
    if (flags == -EBADF) continue;
    if (flags < 0) Fail(plan, kStepUncloexec, flags);
    if (!(flags & FD_CLOEXEC)) continue;
    long rc = Sys(SYS_fcntl, fd, F_SETFD, flags & ~FD_CLOEXEC);
    if (rc < 0) Fail(plan, kStepUncloexec, rc);
  }
  // dup3 without O_CLOEXEC: the copies survive the exec. Every source is
  // above targetFd + passCount by construction, so no dup3 clobbers one.
  long rc;
  for (int fd = 0; fd < 3; fd++) {
    if (plan.stdioFds[fd] < 0) continue;
    rc = Sys(SYS_dup3, plan.stdioFds[fd], fd, 0);
    if (rc < 0) Fail(plan, kStepDup, rc);
  }
  rc = Sys(SYS_dup3, plan.syncFd, plan.targetFd, 0);
  if (rc < 0) Fail(plan, kStepDup, rc);
  for (int i = 0; i < plan.passCount; i++) {
    rc = Sys(SYS_dup3, plan.passFds[i], plan.targetFd + 1 + i, 0);
    if (rc < 0) Fail(plan, kStepDup, rc);
  }
  // Everything above (Node's epoll, libuv pipes, the memfd, the status
  // pipe) is closed by the exec itself, not before: the memfd and the
  // status pipe are still needed until then.
  rc = Sys(SYS_close_range, plan.targetFd + 1 + plan.passCount, ~0U, CLOSE_RANGE_CLOEXEC);
  if (rc < 0) Fail(plan, kStepCloseRange, rc);
  rc = Sys(SYS_execveat, plan.helperFd, reinterpret_cast<long>(""), reinterpret_cast<long>(plan.argv),
           reinterpret_cast<long>(plan.envp), AT_EMPTY_PATH);
  Fail(plan, kStepExec, rc);
}

}  // namespace tsoci::addon
