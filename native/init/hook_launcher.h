// `ts-oci-init --exec-hook PATH ARGV0 [ARG...]`: how the runtime starts the
// hooks it runs itself (prestart, createRuntime, poststart, poststop; see
// lib/hooks/spawn-hook.ts). Node cannot close the descriptors a child
// inherits: an fd the runtime received without close-on-exec (above the
// range node marks at startup) would reach the hook. This closes every fd
// above 2 and execs the hook with the environment it was given.
#pragma once

namespace tsoci {

constexpr const char kExecHookFlag[] = "--exec-hook";

// Never returns. On failure prints "ts-oci-init: exec hook: ENAME" and exits 127.
[[noreturn]] void exec_hook(int argc, char** argv);

}  // namespace tsoci
