// ts-oci-init: the in-container plan interpreter (see native/README.md).
// Started by the runtime's cloned child as `ts-oci-init --sync-fd N`;
// reads one FRAME_PLAN, runs it, and normally ends in execve.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "init/error.h"
#include "init/frame.h"
#include "init/hook_launcher.h"
#include "init/interpreter.h"
#include "init/plan.h"

using namespace tsoci;

[[noreturn]] static void refuse(const char* why) {
  fprintf(stderr, "ts-oci-init: %s (this is ts-oci's internal helper; it is not meant to be run directly)\n", why);
  _exit(2);
}

static int parse_sync_fd(int argc, char** argv) {
  if (argc != 3 || strcmp(argv[1], "--sync-fd") != 0) refuse("usage: ts-oci-init --sync-fd N");
  const char* s = argv[2];
  long fd = 0;
  for (const char* p = s; *p; ++p) {
    if (*p < '0' || *p > '9' || fd > 100000000) refuse("--sync-fd needs a file descriptor number");
    fd = fd * 10 + (*p - '0');
  }
  if (!*s) refuse("--sync-fd needs a file descriptor number");
  struct stat st;
  if (fstat(static_cast<int>(fd), &st) < 0 || !S_ISSOCK(st.st_mode)) refuse("the sync fd is not a socket");
  return static_cast<int>(fd);
}

// Fds 3..sync_fd-1 are the preserved ones (--preserve-fds): each must be
// open, or the first fd this helper opens (its procfs, the rootfs dirfd)
// would take the empty slot and be handed to the container process.
static int check_preserved_fds(int sync_fd, ErrorRecord* err) {
  for (int fd = 3; fd < sync_fd; ++fd)
    if (fcntl(fd, F_GETFD) < 0) return detail_error(err, EBADF, "fcntl", "", "preserved fd %d is not open", fd);
  return 0;
}

// Waits for the plan; exits quietly if the runtime went away first.
static char* receive_plan(int sync_fd, uint32_t* len, ErrorRecord* err) {
  uint32_t type = 0;
  char* payload = nullptr;
  int r = frame_read(sync_fd, &type, &payload, len, MAX_FRAME);
  if (r == 0) _exit(1);
  if (r < 0 && errno == EMSGSIZE) {
    detail_error(err, EMSGSIZE, "read", "sync socket", "launch plan larger than %u bytes", MAX_FRAME);
    return nullptr;
  }
  if (r < 0) {
    sys_error(err, "read", "sync socket");
    return nullptr;
  }
  if (type != FRAME_PLAN) {
    free(payload);
    detail_error(err, EPROTO, "read", "sync socket", "expected a PLAN frame, got type %u", type);
    return nullptr;
  }
  return payload;
}

int main(int argc, char** argv) {
  if (argc >= 2 && strcmp(argv[1], kExecHookFlag) == 0) exec_hook(argc, argv);
  int sync_fd = parse_sync_fd(argc, argv);
  // Before anything else, and before any setns: a process in the container
  // must not be able to ptrace us or read our fds (CVE-2016-9962).
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) refuse("prctl(PR_SET_DUMPABLE) failed");
  signal(SIGPIPE, SIG_IGN);  // EPIPE instead, from hooks and a dead runtime
  fcntl(sync_fd, F_SETFD, FD_CLOEXEC);  // dup2 in the child cleared it
  Ctx ctx;
  ctx.sync_fd = sync_fd;
  ErrorRecord err;
  error_clear(&err);
  // A session of its own, as runc's nsexec does: otherwise the container
  // shares the caller's controlling terminal and, with that tty as its stdio
  // (terminal=false), could TIOCSTI keystrokes into the caller's shell.
  if (check_preserved_fds(sync_fd, &err) < 0) {
    report_failure(ctx, err);
    _exit(1);
  }
  if (setsid() < 0) {
    sys_error(&err, "setsid", nullptr);
    report_failure(ctx, err);
    _exit(1);
  }
  uint32_t len = 0;
  char* payload = receive_plan(sync_fd, &len, &err);
  Plan plan;
  if (payload && plan_decode(payload, len, &plan, &err) == 0 && run_plan(ctx, plan, &err) == 0) _exit(0);
  report_failure(ctx, err);
  _exit(1);
}
