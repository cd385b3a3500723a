// clone3 with CLONE_VM | CLONE_VFORK and a stack of the caller's: the child
// borrows Node's memory until it execs instead of copying its page tables.
#pragma once

#include <linux/sched.h>
#include <stddef.h>

namespace tsoci::addon {

// Bytes of stack the child gets; it runs only ExecHelperInChild's raw syscalls.
constexpr size_t kVforkStackSize = 64 * 1024;

// Like clone3(2), but the child runs fn(arg) on args->stack and exits 127 if
// fn returns. Returns the child's pid, or -errno. args->stack and stack_size
// must be set; the calling thread sleeps until the child execs or exits.
long Clone3Vfork(struct clone_args* args, void (*fn)(const void*), const void* arg);

}  // namespace tsoci::addon
