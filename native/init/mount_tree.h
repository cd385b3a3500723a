// Bind mounts as detached trees: open_tree(OPEN_TREE_CLONE) of the source,
// every flag, attribute and propagation set with mount_setattr on that
// tree's own descriptor, and move_mount onto the target fd. No step
// resolves the destination path a second time, so nothing can swap what
// the remount lands on between the bind and the remount.
#pragma once
#include <cstdint>

#include "common/protocol.h"

namespace tsoci {

struct BindTree {
  int source_fd;            // O_PATH fd of the bind source
  int target_fd;            // O_PATH fd of the mount point
  bool recursive;           // MS_REC: clone the whole tree below the source
  unsigned long flags;      // MS_RDONLY, MS_NOSUID...: set on the top mount as a remount would
  int64_t propagation;      // MS_SHARED/SLAVE/PRIVATE/UNBINDABLE, maybe | MS_REC; 0 = none
  uint64_t rec_attr_set;    // MOUNT_ATTR_* for every mount of the tree (rro & co.); 0 = none
  const char* display;      // the container path errors name
};

int bind_tree(const BindTree& b, ErrorRecord* err);

// The steps of bind_tree on a detached tree made elsewhere (an idmapped
// clone the runtime passed); b.source_fd is unused. The caller closes `tree`.
int attach_tree(int tree, const BindTree& b, ErrorRecord* err);

// READONLY: the tree at `target_fd` cloned, made read-only on its top
// mount (keeping nosuid, nodev, noexec and atime), and moved back over it.
int readonly_tree(int target_fd, const char* display, ErrorRecord* err);

// A remount (MS_REMOUNT without fs data) of the mount whose root
// `target_fd` is: its flags set with mount_setattr on that descriptor.
int remount_fd(int target_fd, unsigned long flags, const char* display, ErrorRecord* err);

}  // namespace tsoci
