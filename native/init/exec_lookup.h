// Finding the container's executable the way runc does (Go's
// exec.LookPath), with runc's error phrases in the record's detail.
#pragma once
#include <climits>

#include "common/protocol.h"

namespace tsoci {

// Resolves `file` (searched in `pathenv` when it has no '/'; an empty
// pathenv means a default PATH) into `out`.
int lookup_executable(const char* file, const char* pathenv, char out[PATH_MAX], ErrorRecord* err);

// The PATH value in an envp array, or "" when there is none.
const char* path_from_env(char* const* envp);

}  // namespace tsoci
