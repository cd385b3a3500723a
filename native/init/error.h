// crun-style error reporting: every step returns int (-1 on failure) and
// fills the wire ErrorRecord, naming the syscall and the path it was about.
// The op index (`step`) is filled in by the interpreter, not here.
#pragma once
#include "common/protocol.h"

namespace tsoci {

void error_clear(ErrorRecord* err);

// Records `err` (an errno value) for `syscall` on `path`; returns -1.
int errno_error(ErrorRecord* rec, int err, const char* syscall, const char* path);

// Same with the current errno.
int sys_error(ErrorRecord* rec, const char* syscall, const char* path);

// Same plus a free-text detail (runc's phrases, hook output...); returns -1.
int detail_error(ErrorRecord* rec, int err, const char* syscall, const char* path, const char* fmt, ...)
    __attribute__((format(printf, 5, 6)));

// strerror() with a lowercase first letter, as Go (and so runc) prints errnos.
void errno_phrase(int err, char* out, unsigned cap);

}  // namespace tsoci
