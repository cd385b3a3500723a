// The ts-oci-init helper, copied once per process into a sealed memfd that
// every spawn() execs. The container's /proc/self/exe is then this memfd:
// never a writable host file (CVE-2019-5736) and never the node binary.
#pragma once
#include <string>

namespace tsoci::addon {

// Returns a new O_CLOEXEC fd (>= minFd) of the sealed copy of `path`, made on
// first use and cached for the life of the process; the caller closes it.
// On failure returns -1 with errno set and `*syscall` naming the failed call.
int HelperMemfd(const std::string& path, int minFd, const char** syscall);

}  // namespace tsoci::addon
