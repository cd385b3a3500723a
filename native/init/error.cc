#include "init/error.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>

namespace tsoci {

static void copy_field(char* dst, size_t cap, const char* src) {
  size_t n = src ? strnlen(src, cap - 1) : 0;
  if (n) memcpy(dst, src, n);
  dst[n] = '\0';
}

void error_clear(ErrorRecord* rec) {
  memset(rec, 0, sizeof *rec);
  rec->step = -1;
}

int errno_error(ErrorRecord* rec, int err, const char* syscall, const char* path) {
  rec->err = err;
  copy_field(rec->syscall, sizeof rec->syscall, syscall);
  copy_field(rec->path, sizeof rec->path, path);
  rec->detail[0] = '\0';
  return -1;
}

int sys_error(ErrorRecord* rec, const char* syscall, const char* path) {
  return errno_error(rec, errno, syscall, path);
}

int detail_error(ErrorRecord* rec, int err, const char* syscall, const char* path, const char* fmt, ...) {
  errno_error(rec, err, syscall, path);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(rec->detail, sizeof rec->detail, fmt, ap);
  va_end(ap);
  return -1;
}

void errno_phrase(int err, char* out, unsigned cap) {
  snprintf(out, cap, "%s", strerror(err));
  if (out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
}

}  // namespace tsoci
