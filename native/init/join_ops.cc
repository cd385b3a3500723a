// SETNS_PIDFD: enter a running container (exec). One setns(2) on a pidfd of
// its init with every namespace flag (Linux >= 5.8): the kernel switches all
// of them at once, and a pidfd cannot be redirected to another process the
// way a /proc/<pid>/ns path of a reused pid can.
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

#include "init/error.h"
#include "init/ops.h"
#include "init/procfs.h"
#include "init/sys.h"

namespace tsoci {

// With CLONE_NEWUSER the kernel enters the user namespace first and checks
// the other joins with the capabilities it gives there (TS sends it only
// for a container with a user namespace: joining one's own is EINVAL).
constexpr int64_t kJoinableNs = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET |
                                CLONE_NEWCGROUP | CLONE_NEWTIME | CLONE_NEWUSER;

int op_setns_pidfd(Ctx& c, ArgReader& a, ErrorRecord* err) {
  int64_t fd = a.num();
  int64_t nstype = a.num();
  if (fd < 3 || fd > INT32_MAX || fd == c.sync_fd)
    return detail_error(err, EBADF, "setns", "", "pidfd %lld is not a descriptor of the helper", static_cast<long long>(fd));
  if (nstype == 0 || (nstype & ~kJoinableNs))
    return detail_error(err, EINVAL, "setns", "", "namespace flags 0x%llx are not joinable", static_cast<long long>(nstype));
  // main() made us non-dumpable before any op; joining while dumpable would
  // let the container ptrace us and reach our fds (CVE-2016-9962).
  if (prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0)
    return detail_error(err, EPERM, "prctl", "PR_GET_DUMPABLE", "the helper is dumpable: refusing to join");
  int pidfd = static_cast<int>(fd);
  // Signal 0 checks that the fd is a pidfd (EBADF otherwise) of a live process.
  if (sys_pidfd_send_signal(pidfd, 0) < 0) {
    int e = errno;
    close(pidfd);
    if (e == ESRCH) return detail_error(err, ESRCH, "pidfd_send_signal", "", "container init has exited");
    return detail_error(err, e, "pidfd_send_signal", "", "fd %d is not a pidfd", pidfd);
  }
  int rc = setns(pidfd, static_cast<int>(nstype));
  if (rc < 0) sys_error(err, "setns", "");
  // Only this one call needs it: nothing of the host is carried further.
  close(pidfd);
  procfs_invalidate(c);
  return rc;
}

int op_exec_sync_marker(Ctx& c, ArgReader&, ErrorRecord*) {
  c.exec_sync_marker = true;
  return 0;
}

}  // namespace tsoci
