// Mount flags a bind remount must carry over. In a user namespace the
// kernel locks nosuid/nodev/noexec/atime flags of inherited mounts and
// refuses a remount that would clear them, so we read and keep them.
#pragma once
#include "common/protocol.h"
#include "init/context.h"

namespace tsoci {

// MS_* flags (nosuid, nodev, noexec, atime) of the mount `fd` is on.
int kept_mount_flags(int fd, const char* display, unsigned long* flags, ErrorRecord* err);

// mount(NULL, path, NULL, MS_REMOUNT|MS_BIND|flags) on the mount now at
// in-root `path` (opened again so the lookup lands on the new top mount);
// retried with the kept flags added when the kernel says EPERM.
int remount_bind(Ctx& c, const char* path, unsigned long flags, ErrorRecord* err);

}  // namespace tsoci
