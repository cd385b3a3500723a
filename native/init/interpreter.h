// Runs a decoded plan and reports the first failure.
#pragma once
#include "common/protocol.h"
#include "init/context.h"
#include "init/plan.h"

namespace tsoci {

// Runs the ops in order; on failure `err` names the op index. Returns 0 when
// the plan ended without EXEC (which does not return on success).
int run_plan(Ctx& c, const Plan& plan, ErrorRecord* err);

// Sends the record: FRAME_ERROR on the sync socket before CREATED, raw
// bytes on the exec fifo after (where `start` is reading).
void report_failure(const Ctx& c, const ErrorRecord& err);

}  // namespace tsoci
