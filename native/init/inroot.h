// Container paths resolved under the rootfs dirfd, never as host strings:
// openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) keeps symlinks and ".."
// inside the rootfs. Every function returns an O_PATH|O_CLOEXEC fd or -1.
#pragma once
#include <climits>
#include <cstdint>

#include "common/protocol.h"
#include "init/context.h"

namespace tsoci {

constexpr unsigned kNameBuf = NAME_MAX + 1;

// Opens an existing path. `extra_resolve` adds RESOLVE_* flags (e.g.
// RESOLVE_NO_SYMLINKS). On failure errno and err->err say why (ENOENT for
// a missing path, which some callers accept).
int inroot_open(Ctx& c, const char* path, int flags, uint64_t extra_resolve, ErrorRecord* err);

// Opens the directory `path`, creating missing components one mkdirat at a
// time (each resolved again from the root, so symlinks stay inside).
int inroot_mkdirs(Ctx& c, const char* path, ErrorRecord* err);

// Opens (creating) the parent directory of `path`; its last component goes
// to `base`, which must not be "", "." or "..".
int inroot_parent(Ctx& c, const char* path, char base[kNameBuf], ErrorRecord* err);

// Opens `path`, first creating it as an empty regular file if missing (a
// mount point for binds of non-directories).
int inroot_mkfile(Ctx& c, const char* path, ErrorRecord* err);

}  // namespace tsoci
