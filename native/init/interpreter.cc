#include "init/interpreter.h"

#include <unistd.h>

#include <cerrno>

#include "init/frame.h"
#include "init/ops.h"

namespace tsoci {

// Indexed by OpKind; the order is the wire contract.
static const OpHandler kHandlers[] = {
    op_setns,         op_unshare,       op_proc_write,      op_root_propagation, op_rootfs,
    op_mount,         op_mknod,         op_bind_dev,        op_symlink,          op_sync,
    op_hook,          op_pivot_root,    op_chroot_move,     op_mask,             op_readonly,
    op_remount_root_ro, op_sethostname, op_setdomainname,   op_rlimit,           op_cap_bounding,
    op_keepcaps,      op_creds,         op_caps,            op_no_new_privs,     op_umask,
    op_chdir,         op_fifo_open,     op_resolve_exec,    op_created,          op_hook_state,
    op_exec,          op_seccomp,       op_mkdir,           op_session_keyring,
    op_fork_pidns,
};
static_assert(sizeof kHandlers / sizeof kHandlers[0] == OP_COUNT, "one handler per OpKind");

int run_plan(Ctx& c, const Plan& plan, ErrorRecord* err) {
  for (size_t i = 0; i < plan.ops.size(); ++i) {
    const PlanOp& op = plan.ops[i];
    ArgReader args(plan.args.data() + op.first);
    c.step = static_cast<int32_t>(i);
    if (kHandlers[op.kind](c, args, err) < 0) {
      err->step = static_cast<int32_t>(i);
      return -1;
    }
  }
  return 0;
}

void report_failure(const Ctx& c, const ErrorRecord& err) {
  if (!c.created) {
    frame_write(c.sync_fd, FRAME_ERROR, &err, sizeof err);
    return;
  }
  if (c.fifo_fd < 0) return;  // `start` never came: nobody to tell
  ssize_t n;
  do n = write(c.fifo_fd, &err, sizeof err);  // < PIPE_BUF: one atomic write
  while (n < 0 && errno == EINTR);
}

}  // namespace tsoci
