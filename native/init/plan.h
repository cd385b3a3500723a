// The decoded launch plan (format: common/protocol.h). Decoding is strict
// and happens before any op runs, so a malformed plan changes nothing.
#pragma once
#include <cstdint>
#include <vector>

#include "common/protocol.h"

namespace tsoci {

struct PlanArg {
  char tag;      // 'i' or 's'
  int64_t num;   // 'i'
  char* str;     // 's': points into the payload, NUL-terminated after decoding
  uint32_t len;  // 's': byte length (blobs may contain NULs)
};

struct PlanOp {
  uint16_t kind;
  uint16_t argc;
  uint32_t first;  // index of the op's first argument in Plan::args
};

struct Plan {
  std::vector<PlanArg> args;
  std::vector<PlanOp> ops;
};

// Decodes `len` bytes of `buf` (which must have one spare byte after them)
// in place. On failure fills `err` (step = the bad op's index, or -1).
int plan_decode(char* buf, uint32_t len, Plan* plan, ErrorRecord* err);

// Walks an op's arguments in schema order; the decoder has already checked
// every type and count, so the reader trusts them.
class ArgReader {
 public:
  explicit ArgReader(const PlanArg* args) : next_(args) {}
  const char* str() { return (next_++)->str; }
  const PlanArg& blob() { return *next_++; }
  int64_t num() { return (next_++)->num; }
  // An "S*" list: appends the strings and a terminating nullptr (argv style).
  void strings(std::vector<char*>* out);
  // An "I*" list.
  void nums(std::vector<int64_t>* out);

 private:
  const PlanArg* next_;
};

}  // namespace tsoci
