#include "init/plan.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>

#include "init/error.h"
#include "init/ops.h"

namespace tsoci {
namespace {

struct Cursor {
  const char* p;
  const char* end;
  bool take(void* out, size_t n) {
    if (static_cast<size_t>(end - p) < n) return false;
    memcpy(out, p, n);
    p += n;
    return true;
  }
};

int plan_error(ErrorRecord* err, int step, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
int plan_error(ErrorRecord* err, int step, const char* fmt, ...) {
  errno_error(err, EINVAL, "", "");
  int n = snprintf(err->detail, sizeof err->detail, "invalid launch plan: ");
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->detail + n, sizeof err->detail - n, fmt, ap);
  va_end(ap);
  err->step = step;
  return -1;
}

bool is_type(const PlanArg& a, char want) {
  if (want == 'i') return a.tag == 'i';
  if (a.tag != 's') return false;
  return want == 'b' || memchr(a.str, '\0', a.len) == nullptr;
}

// Returns nullptr when `a[0..n)` matches `schema`, else what is wrong.
const char* check_schema(const char* schema, const PlanArg* a, uint32_t n) {
  uint32_t k = 0;
  for (const char* s = schema; *s; ++s) {
    if (k >= n) return "too few arguments";
    if (*s != 'S' && *s != 'I') {
      if (!is_type(a[k++], *s)) return *s == 'i' ? "expected an integer" : "expected a string without NUL";
      continue;
    }
    if (a[k].tag != 'i') return "expected a list count";
    int64_t count = a[k++].num;
    if (count < 0 || count > static_cast<int64_t>(n - k)) return "list count out of range";
    char item = *s == 'S' ? 's' : 'i';
    for (int64_t j = 0; j < count; ++j)
      if (!is_type(a[k++], item)) return "bad list item";
  }
  return k == n ? nullptr : "too many arguments";
}

int read_arg(Cursor* c, PlanArg* a) {
  uint8_t tag;
  if (!c->take(&tag, 1)) return -1;
  a->tag = static_cast<char>(tag);
  a->num = 0;
  a->str = nullptr;
  a->len = 0;
  if (tag == 'i') return c->take(&a->num, 8) ? 0 : -1;
  if (tag != 's' || !c->take(&a->len, 4)) return -1;
  if (a->len > MAX_STRING || static_cast<size_t>(c->end - c->p) < a->len) return -1;
  a->str = const_cast<char*>(c->p);
  c->p += a->len;
  return 0;
}

int read_op(Cursor* c, Plan* plan, int index, ErrorRecord* err) {
  uint16_t head[2];
  if (!c->take(head, sizeof head)) return plan_error(err, index, "op %d: truncated header", index);
  PlanOp op{head[0], head[1], static_cast<uint32_t>(plan->args.size())};
  const OpEntry* entry = op_entry(op.kind);
  if (!entry) return plan_error(err, index, "op %d: unknown kind %u", index, op.kind);
  for (uint16_t j = 0; j < op.argc; ++j) {
    PlanArg a;
    if (read_arg(c, &a) < 0) return plan_error(err, index, "op %d: argument %u is malformed", index, j);
    plan->args.push_back(a);
  }
  const char* why = check_schema(entry->schema, plan->args.data() + op.first, op.argc);
  if (why) return plan_error(err, index, "op %d (kind %u): %s", index, op.kind, why);
  plan->ops.push_back(op);
  return 0;
}

}  // namespace

int plan_decode(char* buf, uint32_t len, Plan* plan, ErrorRecord* err) {
  Cursor c{buf, buf + len};
  uint32_t version, count;
  if (!c.take(&version, 4) || !c.take(&count, 4)) return plan_error(err, -1, "truncated header");
  if (version != PLAN_VERSION)
    return plan_error(err, -1, "version %u, this ts-oci-init speaks version %u", version, PLAN_VERSION);
  if (count > len / 4) return plan_error(err, -1, "op count %u exceeds the payload", count);
  plan->ops.reserve(count);
  for (uint32_t i = 0; i < count; ++i)
    if (read_op(&c, plan, static_cast<int>(i), err) < 0) return -1;
  if (c.p != c.end) return plan_error(err, -1, "%zu trailing bytes", static_cast<size_t>(c.end - c.p));
  // Only now: a string's terminator overwrites the next argument's tag byte.
  for (PlanArg& a : plan->args)
    if (a.tag == 's') a.str[a.len] = '\0';
  return 0;
}

void ArgReader::strings(std::vector<char*>* out) {
  int64_t count = num();
  for (int64_t i = 0; i < count; ++i) out->push_back((next_++)->str);
  out->push_back(nullptr);
}

void ArgReader::nums(std::vector<int64_t>* out) {
  int64_t count = num();
  for (int64_t i = 0; i < count; ++i) out->push_back((next_++)->num);
}

}  // namespace tsoci
