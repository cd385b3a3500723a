// One handler per OpKind (common/protocol.h). Each reads its arguments in
// schema order, returns 0 or -1 with `err` filled; the interpreter adds
// the op index.
#pragma once
#include <cstdint>

#include "common/protocol.h"
#include "init/context.h"
#include "init/plan.h"

namespace tsoci {

using OpHandler = int (*)(Ctx& c, ArgReader& a, ErrorRecord* err);

// Argument types of an op: i = int64, s = string without NUL, b = binary
// string (NUL allowed), S = i64 count then that many s, I = count then i.
struct OpEntry {
  uint16_t kind;
  const char* schema;
  OpHandler handler;
};

// The entry of `kind`, or nullptr for a kind this helper does not know.
const OpEntry* op_entry(uint16_t kind);

// ns_ops.cc
int op_setns(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_unshare(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_proc_write(Ctx& c, ArgReader& a, ErrorRecord* err);
// mount_ops.cc
int op_root_propagation(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_rootfs(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_mount(Ctx& c, ArgReader& a, ErrorRecord* err);
// device_ops.cc
int op_mknod(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_bind_dev(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_symlink(Ctx& c, ArgReader& a, ErrorRecord* err);
// sync_ops.cc
int op_sync(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_created(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_fifo_open(Ctx& c, ArgReader& a, ErrorRecord* err);
// hook_ops.cc
int op_hook_state(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_hook(Ctx& c, ArgReader& a, ErrorRecord* err);
// root_switch_ops.cc
int op_pivot_root(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_chroot_move(Ctx& c, ArgReader& a, ErrorRecord* err);
// mask_ops.cc
int op_mask(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_readonly(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_remount_root_ro(Ctx& c, ArgReader& a, ErrorRecord* err);
// process_ops.cc
int op_sethostname(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_setdomainname(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_rlimit(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_umask(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_chdir(Ctx& c, ArgReader& a, ErrorRecord* err);
// cred_ops.cc
int op_cap_bounding(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_keepcaps(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_creds(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_caps(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_no_new_privs(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_mkdir(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_session_keyring(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_fork_pidns(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_cgroup_join(Ctx& c, ArgReader& a, ErrorRecord* err);  // cgroup_join_ops.cc
// exec_ops.cc
int op_resolve_exec(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_exec(Ctx& c, ArgReader& a, ErrorRecord* err);

// 40-49: seccomp
// seccomp_ops.cc (kind 31, OP_SECCOMP)
int op_seccomp(Ctx& c, ArgReader& a, ErrorRecord* err);
// The program an OP_SECCOMP with atExec kept, loaded by EXEC after its own
// last preparations; 0 when there is none.
int seccomp_load_deferred(Ctx& c, ErrorRecord* err);

// 50-59: process and linux settings (sched_ops.cc)
int op_personality(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_sched_setattr(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_ioprio_set(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_set_mempolicy(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_sched_setaffinity(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_netdev_setup(Ctx& c, ArgReader& a, ErrorRecord* err);  // netdev_ops.cc

// 60-69: hardening and completion of existing steps (copyup_ops.cc)
int op_copyup_open(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_copyup_fill(Ctx& c, ArgReader& a, ErrorRecord* err);

// 70-79: exec into a running container
// join_ops.cc
int op_setns_pidfd(Ctx& c, ArgReader& a, ErrorRecord* err);
int op_exec_sync_marker(Ctx& c, ArgReader& a, ErrorRecord* err);

// 80-89: terminals
// console_ops.cc
int op_console(Ctx& c, ArgReader& a, ErrorRecord* err);

// 90-99: user namespaces and idmapped mounts
int op_fifo_fd(Ctx& c, ArgReader& a, ErrorRecord* err);      // sync_ops.cc
int op_userns_root(Ctx& c, ArgReader& a, ErrorRecord* err);  // ns_ops.cc
int op_mount_fd(Ctx& c, ArgReader& a, ErrorRecord* err);     // mount_ops.cc
int op_creds_keep_groups(Ctx& c, ArgReader& a, ErrorRecord* err);  // cred_ops.cc


}  // namespace tsoci
