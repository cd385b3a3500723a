// SYNC, FIFO_OPEN and CREATED: the conversation with the runtime.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "init/error.h"
#include "init/frame.h"
#include "init/ops.h"
#include "init/procfs.h"

namespace tsoci {

int op_sync(Ctx& c, ArgReader& a, ErrorRecord* err) {
  int64_t tag = a.num();
  if (frame_write(c.sync_fd, FRAME_SYNC, &tag, sizeof tag) < 0) return sys_error(err, "send", "sync socket");
  uint32_t type = 0, len = 0;
  char* payload = nullptr;
  int r = frame_read(c.sync_fd, &type, &payload, &len, 4096);
  if (r == 0) _exit(1);  // the runtime is gone: nobody to report to
  if (r < 0) return sys_error(err, "read", "sync socket");
  free(payload);
  if (type != FRAME_ACK)
    return detail_error(err, EPROTO, "read", "sync socket", "expected an ACK frame, got type %u", type);
  return 0;
}

int op_fifo_open(Ctx& c, ArgReader& a, ErrorRecord* err) {
  const char* path = a.str();
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return sys_error(err, "open", path);
  struct stat st;
  if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
    close(fd);
    return detail_error(err, EINVAL, "open", path, "exec fifo %s is not a fifo", path);
  }
  if (c.fifo_path_fd >= 0) close(c.fifo_path_fd);
  c.fifo_path_fd = fd;
  return 0;
}

// After FRAME_CREATED the runtime exits; we block in open() until `start`
// opens the read end. The write end stays CLOEXEC: a successful execve
// closes it, and `start` reads EOF with no bytes as success.
int op_created(Ctx& c, ArgReader&, ErrorRecord* err) {
  if (c.fifo_path_fd < 0) return detail_error(err, EINVAL, "open", "exec.fifo", "CREATED without FIFO_OPEN");
  int proc = procfs_fd(c, err);
  if (proc < 0) return -1;
  if (frame_write(c.sync_fd, FRAME_CREATED, nullptr, 0) < 0) return sys_error(err, "send", "sync socket");
  c.created = true;
  char self_fd[32];
  snprintf(self_fd, sizeof self_fd, "self/fd/%d", c.fifo_path_fd);
  int fd;
  do fd = openat(proc, self_fd, O_WRONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) return sys_error(err, "open", "exec.fifo");
  c.fifo_fd = fd;
  close(c.fifo_path_fd);
  c.fifo_path_fd = -1;
  return 0;
}

}  // namespace tsoci
