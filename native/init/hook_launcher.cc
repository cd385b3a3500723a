#include "init/hook_launcher.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "init/exec_prep.h"

extern char** environ;

namespace tsoci {

[[noreturn]] static void fail(int err) {
  const char* name = strerrorname_np(err);
  // One line TS parses (lib/hooks/spawn-hook.ts): the hook was not started.
  dprintf(2, "ts-oci-init: exec hook: %s\n", name ? name : "EIO");
  _exit(127);
}

void exec_hook(int argc, char** argv) {
  if (argc < 4) fail(EINVAL);
  if (close_fds_from(3, -1, -1) < 0) fail(errno);
  execve(argv[2], argv + 3, environ);
  fail(errno);
}

}  // namespace tsoci
