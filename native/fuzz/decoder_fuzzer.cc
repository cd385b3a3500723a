// libFuzzer target for what ts-oci-init decodes from the runtime: the
// launch plan (plan_decode, then each op's schema walk through ArgReader),
// the frames on the sync socket (frame_read) and the hook-state overrides
// of a FRAME_PID answer (OP_HOOK_STATE). Built only by scripts/fuzz.sh
// (clang -fsanitize=fuzzer,address,undefined), never by binding.gyp or
// CMakeLists.txt. The first input byte picks the decoder.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "common/protocol.h"
#include "init/context.h"
#include "init/error.h"
#include "init/frame.h"
#include "init/ops.h"
#include "init/plan.h"

using namespace tsoci;

namespace {

// Walks every decoded op's arguments the way its handler would, without
// running it (handlers make syscalls).
void walk_args(const Plan& plan) {
  for (const PlanOp& op : plan.ops) {
    const OpEntry* e = op_entry(op.kind);
    if (!e) abort();  // the decoder accepted an unknown kind
    ArgReader r(plan.args.data() + op.first);
    std::vector<char*> strs;
    std::vector<int64_t> nums;
    for (const char* s = e->schema; *s; ++s) {
      switch (*s) {
        case 'i': (void)r.num(); break;
        case 's': if (strlen(r.str()) > MAX_STRING) abort(); break;
        case 'b': (void)r.blob(); break;
        case 'S': r.strings(&strs); break;
        case 'I': r.nums(&nums); break;
        default: abort();
      }
    }
  }
}

void fuzz_plan(const uint8_t* data, size_t size) {
  if (size > MAX_FRAME) return;
  // plan_decode needs one spare byte after the payload (frame_read gives it).
  char* buf = static_cast<char*>(malloc(size + 1));
  memcpy(buf, data, size);
  buf[size] = '\0';
  Plan plan;
  ErrorRecord err;
  error_clear(&err);
  if (plan_decode(buf, static_cast<uint32_t>(size), &plan, &err) == 0) walk_args(plan);
  else if (!memchr(err.detail, '\0', sizeof err.detail)) abort();  // the record must stay a C string
  free(buf);
}

void fuzz_frames(const uint8_t* data, size_t size) {
  int sv[2];
  if (size > 60000 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) return;
  if (write(sv[1], data, size) != static_cast<ssize_t>(size)) abort();
  close(sv[1]);
  for (;;) {
    uint32_t type = 0, len = 0;
    char* payload = nullptr;
    int r = frame_read(sv[0], &type, &payload, &len, 4096);
    if (r <= 0) break;
    if (payload[len] != '\0') abort();
    free(payload);
  }
  close(sv[0]);
}

void fuzz_state_overrides(const uint8_t* data, size_t size) {
  if (size < 4) return;
  Ctx c;
  int32_t step;
  memcpy(&step, data, 4);
  std::vector<char> overrides(data + 4, data + size);
  c.state_overrides = overrides.data();
  c.state_overrides_len = static_cast<uint32_t>(overrides.size());
  c.step = step;
  char fallback[] = "{}";
  PlanArg arg{'s', 0, fallback, 2};
  ArgReader r(&arg);
  ErrorRecord err;
  error_clear(&err);
  if (op_hook_state(c, r, &err) < 0) abort();
  const char* end = overrides.data() + overrides.size();
  bool inside = c.hook_state >= overrides.data() && c.hook_state + c.hook_state_len <= end;
  if (c.hook_state != fallback && !inside) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  switch (data[0] % 3) {
    case 0: fuzz_plan(data + 1, size - 1); break;
    case 1: fuzz_frames(data + 1, size - 1); break;
    default: fuzz_state_overrides(data + 1, size - 1); break;
  }
  return 0;
}
