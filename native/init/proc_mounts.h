// Mounts onto or under /proc, limited as runc's checkProcMount limits them:
// onto /proc only procfs (fresh, or a bind of a procfs root); under /proc
// only binds of a regular file over one of the regular files lxcfs
// emulates. The destination string and, after resolution, the target's
// filesystem are both checked, so a symlink into /proc gains nothing.
#pragma once
#include "common/protocol.h"

namespace tsoci {

// Before the target is resolved: `dest` is the container path TS sent.
int check_proc_dest(const char* dest, bool bind, const char* fstype, ErrorRecord* err);

// After: `target_fd` is the resolved mount point, `source_fd` the bind
// source (-1 for other mounts).
int check_proc_target(const char* dest, bool bind, int source_fd, int target_fd, ErrorRecord* err);

}  // namespace tsoci
