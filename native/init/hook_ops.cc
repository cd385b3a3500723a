// HOOK_STATE and HOOK: OCI hooks that run inside the container's
// namespaces (createContainer, startContainer).
#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <ctime>
#include <vector>

#include "init/error.h"
#include "init/exec_prep.h"
#include "init/ops.h"
#include "init/sys.h"

namespace tsoci {
namespace {

constexpr size_t kTailMax = 1024;

struct HookSpec {
  const char* path;
  int64_t timeout_s;  // 0 = none
  std::vector<char*> argv;
  std::vector<char*> envp;
};

struct HookIo {
  int in_w = -1;      // the state JSON goes to the hook's stdin
  int err_r = -1;     // the hook's stdout+stderr, tail kept for the error
  int status_r = -1;  // errno of a failed execve in the child
  const char* input = "";
  size_t input_len = 0;
  size_t input_off = 0;
  char tail[kTailMax];
  size_t tail_len = 0;
};

void close_fd(int* fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

int64_t now_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

[[noreturn]] void run_hook_child(const HookSpec& h, int in_r, int err_w, int status_w) {
  // stdin is the state pipe; stdout and stderr share the captured pipe,
  // as with runc and our runtime-side hooks: a hook's output belongs in
  // its error, not on the container's stderr. dup2 leaves the copies
  // without CLOEXEC; everything else must not leak into it.
  if (dup2(in_r, 0) < 0 || dup2(err_w, 1) < 0 || dup2(err_w, 2) < 0) _exit(127);
  close_range(3, ~0u, CLOSE_RANGE_CLOEXEC);
  reset_signals();
  execve(h.path, h.argv.data(), h.envp.data());
  int e = errno;
  ssize_t ignored = write(status_w, &e, sizeof e);
  (void)ignored;
  _exit(127);
}

pid_t spawn_hook(const HookSpec& h, HookIo* io, ErrorRecord* err) {
  int in[2], errp[2], status[2];
  if (pipe2(in, O_CLOEXEC) < 0) return sys_error(err, "pipe2", h.path);
  io->in_w = in[1];
  // On failure the parent's ends are in `io` (the caller closes them).
  if (pipe2(errp, O_CLOEXEC) < 0) {
    sys_error(err, "pipe2", h.path);
    close(in[0]);
    return -1;
  }
  io->err_r = errp[0];
  if (pipe2(status, O_CLOEXEC) < 0) {
    sys_error(err, "pipe2", h.path);
    close(in[0]);
    close(errp[1]);
    return -1;
  }
  io->status_r = status[0];
  pid_t pid = fork();
  if (pid == 0) run_hook_child(h, in[0], errp[1], status[1]);
  int saved = errno;
  close(in[0]);
  close(errp[1]);
  close(status[1]);
  if (pid < 0) return errno_error(err, saved, "fork", h.path);
  fcntl(io->in_w, F_SETFL, O_NONBLOCK);
  fcntl(io->err_r, F_SETFL, O_NONBLOCK);
  if (io->input_len == 0) close_fd(&io->in_w);
  return pid;
}

void feed_stdin(HookIo* io) {
  ssize_t n = write(io->in_w, io->input + io->input_off, io->input_len - io->input_off);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n > 0) io->input_off += static_cast<size_t>(n);
  // EPIPE: the hook does not read its stdin, which is its right.
  if (n < 0 || io->input_off == io->input_len) close_fd(&io->in_w);
}

void keep_tail(HookIo* io, const char* buf, size_t n) {
  if (n >= kTailMax) {
    memcpy(io->tail, buf + n - kTailMax, kTailMax);
    io->tail_len = kTailMax;
    return;
  }
  size_t keep = io->tail_len < kTailMax - n ? io->tail_len : kTailMax - n;
  memmove(io->tail, io->tail + io->tail_len - keep, keep);
  memcpy(io->tail + keep, buf, n);
  io->tail_len = keep + n;
}

// Returns false once the pipe is closed or has nothing more right now.
bool drain_stderr(HookIo* io) {
  char buf[4096];
  ssize_t n = read(io->err_r, buf, sizeof buf);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return false;
  if (n <= 0) {
    close_fd(&io->err_r);
    return false;
  }
  keep_tail(io, buf, static_cast<size_t>(n));
  return true;
}

// Pumps stdin/stderr until the hook exits (0) or the deadline passes (1).
int pump_until_exit(int pidfd, HookIo* io, int64_t timeout_s) {
  int64_t deadline = timeout_s > 0 ? now_ms() + timeout_s * 1000 : -1;
  for (;;) {
    struct pollfd fds[3] = {{pidfd, POLLIN, 0}, {io->err_r, POLLIN, 0}, {io->in_w, POLLOUT, 0}};
    int wait_ms = -1;
    if (deadline >= 0) {
      int64_t left = deadline - now_ms();
      wait_ms = left > 0 ? static_cast<int>(left) : 0;
    }
    // poll ignores negative fds, so closed pipes simply drop out.
    int r = poll(fds, 3, wait_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0) return 1;
    if (fds[2].revents && io->in_w >= 0) feed_stdin(io);
    if (fds[1].revents && io->err_r >= 0) drain_stderr(io);
    if (fds[0].revents) return 0;
  }
}

void last_line(const HookIo& io, char* out, size_t cap) {
  size_t end = io.tail_len;
  while (end && (io.tail[end - 1] == '\n' || io.tail[end - 1] == '\r' || io.tail[end - 1] == ' ')) --end;
  size_t start = end;
  while (start && io.tail[start - 1] != '\n') --start;
  size_t n = end - start < cap - 1 ? end - start : cap - 1;
  memcpy(out, io.tail + start, n);
  out[n] = '\0';
}

int hook_outcome(const HookSpec& h, const HookIo& io, const siginfo_t& info, ErrorRecord* err) {
  int exec_errno = 0;
  if (read(io.status_r, &exec_errno, sizeof exec_errno) == sizeof exec_errno) {
    char phrase[128];
    errno_phrase(exec_errno, phrase, sizeof phrase);
    return detail_error(err, exec_errno, "execve", h.path, "hook %s: exec failed: %s", h.path, phrase);
  }
  if (info.si_code == CLD_EXITED && info.si_status == 0) return 0;
  if (info.si_code != CLD_EXITED)
    return detail_error(err, 0, "", h.path, "hook %s killed by signal %d", h.path, info.si_status);
  char line[900];
  last_line(io, line, sizeof line);
  if (!line[0]) return detail_error(err, 0, "", h.path, "hook %s exited with status %d", h.path, info.si_status);
  return detail_error(err, 0, "", h.path, "hook %s exited with status %d: %s", h.path, info.si_status, line);
}

int run_hook(const HookSpec& h, HookIo* io, ErrorRecord* err) {
  pid_t pid = spawn_hook(h, io, err);
  if (pid < 0) return -1;
  int pidfd = sys_pidfd_open(pid);
  if (pidfd < 0) {
    sys_error(err, "pidfd_open", h.path);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return -1;
  }
  int timed_out = pump_until_exit(pidfd, io, h.timeout_s);
  if (timed_out) sys_pidfd_send_signal(pidfd, SIGKILL);
  while (io->err_r >= 0 && drain_stderr(io)) {
  }
  siginfo_t info = {};
  while (waitid(P_PIDFD, static_cast<id_t>(pidfd), &info, WEXITED) < 0 && errno == EINTR) {
  }
  close(pidfd);
  if (timed_out)
    return detail_error(err, ETIMEDOUT, "", h.path, "hook %s timed out after %llds", h.path,
                        static_cast<long long>(h.timeout_s));
  return hook_outcome(h, *io, info, err);
}

}  // namespace

// The replacement the runtime sent after FORK_PIDNS for this step, if any.
static bool overridden_state(Ctx& c) {
  for (uint32_t off = 0; off + 8 <= c.state_overrides_len;) {
    uint32_t index, len;
    memcpy(&index, c.state_overrides + off, 4);
    memcpy(&len, c.state_overrides + off + 4, 4);
    if (len > c.state_overrides_len - off - 8) return false;
    if (static_cast<int32_t>(index) == c.step) {
      c.hook_state = c.state_overrides + off + 8;
      c.hook_state_len = len;
      return true;
    }
    off += 8 + len;
  }
  return false;
}

int op_hook_state(Ctx& c, ArgReader& a, ErrorRecord*) {
  const PlanArg& json = a.blob();
  if (overridden_state(c)) return 0;
  c.hook_state = json.str;
  c.hook_state_len = json.len;
  return 0;
}

int op_hook(Ctx& c, ArgReader& a, ErrorRecord* err) {
  HookSpec h;
  h.path = a.str();
  h.timeout_s = a.num();
  a.strings(&h.argv);
  a.strings(&h.envp);
  if (h.argv.size() == 1) h.argv.insert(h.argv.begin(), const_cast<char*>(h.path));
  HookIo io;
  io.input = c.hook_state;
  io.input_len = c.hook_state_len;
  int rc = run_hook(h, &io, err);
  close_fd(&io.in_w);
  close_fd(&io.err_r);
  close_fd(&io.status_r);
  return rc;
}

}  // namespace tsoci
