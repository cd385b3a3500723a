// Questions about the mount a path is on: its propagation (from our own
// mountinfo, read through the private procfs) and its root.
#pragma once
#include "common/protocol.h"
#include "init/context.h"

namespace tsoci {

// Sets *shared when the mount containing `fd` has shared propagation.
int mount_is_shared(Ctx& c, int fd, const char* display, bool* shared, ErrorRecord* err);

// Opens (O_PATH) the root directory of the mount directory `fd` is on, by
// walking ".." until the mount changes: propagation changes only accept
// a mount's root.
int open_mount_root(int fd, const char* display, ErrorRecord* err);

}  // namespace tsoci
