#include "init/exec_prep.h"

#include <fcntl.h>
#include <unistd.h>

#include <csignal>

namespace tsoci {

void reset_signals() {
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  // SIGKILL, SIGSTOP and glibc's internal signals refuse; that is fine.
  for (int sig = 1; sig < NSIG; ++sig) sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

int close_fds_from(int lowest, int keep_a, int keep_b) {
  if (keep_a > keep_b) {
    int t = keep_a;
    keep_a = keep_b;
    keep_b = t;
  }
  unsigned next = static_cast<unsigned>(lowest);
  const int keeps[2] = {keep_a, keep_b};
  for (int keep : keeps) {
    if (keep < lowest || static_cast<unsigned>(keep) < next) continue;
    if (static_cast<unsigned>(keep) > next && close_range(next, static_cast<unsigned>(keep) - 1, 0) < 0) return -1;
    next = static_cast<unsigned>(keep) + 1;
  }
  return close_range(next, ~0u, 0);
}

void clear_stdio_nonblock() {
  for (int fd = 0; fd <= 2; ++fd) {
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0 && (flags & O_NONBLOCK)) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
}

}  // namespace tsoci
