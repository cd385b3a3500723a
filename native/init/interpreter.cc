#include "init/interpreter.h"

#include <unistd.h>

#include <cerrno>

#include "init/frame.h"
#include "init/ops.h"

namespace tsoci {

int run_plan(Ctx& c, const Plan& plan, ErrorRecord* err) {
  for (size_t i = 0; i < plan.ops.size(); ++i) {
    const PlanOp& op = plan.ops[i];
    ArgReader args(plan.args.data() + op.first);
    c.step = static_cast<int32_t>(i);
    if (op_entry(op.kind)->handler(c, args, err) < 0) {  // decoder checked the kind
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
