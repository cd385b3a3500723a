// Kind -> argument schema and handler: the helper's half of the wire
// contract (common/protocol.h). Each area adds its ops in its own block.
#include "init/ops.h"

namespace tsoci {
namespace {

const OpEntry kOps[] = {
    {OP_SETNS, "si", op_setns},
    {OP_UNSHARE, "i", op_unshare},
    {OP_PROC_WRITE, "ss", op_proc_write},
    {OP_ROOT_PROPAGATION, "i", op_root_propagation},
    {OP_ROOTFS, "s", op_rootfs},
    {OP_MOUNT, "sssisii", op_mount},
    {OP_MKNOD, "siiiiii", op_mknod},
    {OP_BIND_DEV, "ss", op_bind_dev},
    {OP_SYMLINK, "ss", op_symlink},
    {OP_SYNC, "i", op_sync},
    {OP_HOOK, "siSS", op_hook},
    {OP_PIVOT_ROOT, "", op_pivot_root},
    {OP_CHROOT_MOVE, "", op_chroot_move},
    {OP_MASK, "s", op_mask},
    {OP_READONLY, "s", op_readonly},
    {OP_REMOUNT_ROOT_RO, "", op_remount_root_ro},
    {OP_SETHOSTNAME, "s", op_sethostname},
    {OP_SETDOMAINNAME, "s", op_setdomainname},
    {OP_RLIMIT, "iii", op_rlimit},
    {OP_CAP_BOUNDING, "i", op_cap_bounding},
    {OP_KEEPCAPS, "i", op_keepcaps},
    {OP_CREDS, "iiI", op_creds},
    {OP_CAPS, "iiii", op_caps},
    {OP_NO_NEW_PRIVS, "", op_no_new_privs},
    {OP_UMASK, "i", op_umask},
    {OP_CHDIR, "s", op_chdir},
    {OP_FIFO_OPEN, "s", op_fifo_open},
    {OP_RESOLVE_EXEC, "ss", op_resolve_exec},
    {OP_CREATED, "", op_created},
    {OP_HOOK_STATE, "s", op_hook_state},
    {OP_EXEC, "SSi", op_exec},
    {OP_SECCOMP, "bii", op_seccomp},
    {OP_MKDIR, "s", op_mkdir},
    {OP_SESSION_KEYRING, "", op_session_keyring},
    {OP_FORK_PIDNS, "", op_fork_pidns},
    {OP_CGROUP_JOIN, "is", op_cgroup_join},

    // 40-49: seccomp

    // 50-59: process and linux settings
    {OP_PERSONALITY, "i", op_personality},
    {OP_SCHED_SETATTR, "iiiiiii", op_sched_setattr},
    {OP_IOPRIO_SET, "i", op_ioprio_set},
    {OP_SET_MEMPOLICY, "iI", op_set_mempolicy},
    {OP_SCHED_SETAFFINITY, "I", op_sched_setaffinity},
    {OP_NETDEV_SETUP, "ssb", op_netdev_setup},

    // 60-69: hardening and completion of existing steps
    {OP_COPYUP_OPEN, "s", op_copyup_open},
    {OP_COPYUP_FILL, "s", op_copyup_fill},

    // 70-79: exec into a running container
    {OP_SETNS_PIDFD, "ii", op_setns_pidfd},
    {OP_EXEC_SYNC_MARKER, "", op_exec_sync_marker},

    // 80-89: terminals
    {OP_CONSOLE, "ssiii", op_console},

    // 90-99: user namespaces and idmapped mounts
    {OP_FIFO_FD, "i", op_fifo_fd},
    {OP_USERNS_ROOT, "", op_userns_root},
    {OP_MOUNT_FD, "isiii", op_mount_fd},
    {OP_CREDS_KEEP_GROUPS, "ii", op_creds_keep_groups},

};

}  // namespace

const OpEntry* op_entry(uint16_t kind) {
  for (const OpEntry& e : kOps)
    if (e.kind == kind) return &e;
  return nullptr;
}

}  // namespace tsoci
