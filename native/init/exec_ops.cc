// RESOLVE_EXEC and EXEC: the last steps before the container process.
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <vector>

#include "init/error.h"
#include "init/exec_lookup.h"
#include "init/exec_prep.h"
#include "init/frame.h"
#include "init/ops.h"

namespace tsoci {

int op_resolve_exec(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* file = a.str();
  const char* pathenv = a.str();
  if (lookup_executable(file, pathenv, c.exec_path, err) < 0) return -1;
  c.exec_resolved = true;
  return 0;
}

static int write_exec_marker(int fd) {
  uint32_t marker = EXEC_MARKER;
  ssize_t n;
  do n = write(fd, &marker, sizeof marker);  // < PIPE_BUF: one atomic write
  while (n < 0 && errno == EINTR);
  if (n >= 0 && n != sizeof marker) errno = EIO;
  return n == sizeof marker ? 0 : -1;
}

int op_exec(Ctx& c, ArgReader& a, ErrorRecord* err) {
  std::vector<char*> argv, envp;
  a.strings(&argv);
  a.strings(&envp);
  int64_t preserve = a.num();
  if (argv.size() < 2) return detail_error(err, EINVAL, "execve", "", "no process args");
  if (preserve < 0 || preserve > (1 << 20))
    return detail_error(err, EINVAL, "execve", "", "preserveFds %lld out of range", static_cast<long long>(preserve));
  if (!c.exec_resolved && lookup_executable(argv[0], path_from_env(envp.data()), c.exec_path, err) < 0) return -1;
  // Nothing of ours may reach the container process (CVE-2024-21626). The
  // fifo and the sync socket stay for error reports; both are CLOEXEC.
  int report_fd = c.created ? c.fifo_fd : c.sync_fd;
  if (close_fds_from(3 + static_cast<int>(preserve), report_fd, -1) < 0) return sys_error(err, "close_range", "");
  clear_stdio_nonblock();
  reset_signals();
  // Last but the marker, so under the user's profile we make no syscall
  // but the marker's write and execve (and, if that fails, the write of
  // the error record). A filter loaded earlier (SECCOMP before the
  // credential steps) is in force here too.
  if (seccomp_load_deferred(c, err) < 0) return -1;
  // The last step before execve: `start` counts only this marker as
  // success, so a helper that dies on the way (SIGKILL, OOM) is a failure
  // rather than EOF that looks like an exec. After the filter, so a load
  // failure is never reported after a marker; the filter must allow
  // write(2) (runc's fifo write needs the same); if it does not, start
  // fails cleanly, never reports a false success.
  if (c.created && write_exec_marker(c.fifo_fd) < 0) return sys_error(err, "write", "exec.fifo");
  // exec: the same marker as a frame, so a helper killed on the way is a
  // failure rather than an EOF that looks like an exec.
  if (!c.created && c.exec_sync_marker && frame_write(c.sync_fd, FRAME_EXEC_STARTED, nullptr, 0) < 0)
    return sys_error(err, "send", "sync socket");
  execve(c.exec_path, argv.data(), envp.data());
  int e = errno;
  char phrase[128];
  errno_phrase(e, phrase, sizeof phrase);
  return detail_error(err, e, "execve", c.exec_path, "exec %s: %s", c.exec_path, phrase);
}

}  // namespace tsoci
