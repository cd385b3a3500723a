// Why a hand-written trampoline: a child that shares the parent's memory
// must not run on the parent's stack (returning from syscall(2) in the child
// would overwrite the frame the parent returns through), and clone3 has no
// libc wrapper that starts a function on a new stack. The same shape as
// glibc's and musl's clone(): the child finds fn and arg in registers the
// syscall instruction preserves (r8, r9), calls fn on the fresh stack, and
// exits if it returns. x86-64 only, as the package (package.json "cpu").
#include "clone_vfork.h"

#include <sys/syscall.h>

static_assert(SYS_clone3 == 435, "the trampoline below hard-codes clone3's number");

extern "C" long tsoci_clone3_vfork(struct clone_args* args, size_t size, void (*fn)(const void*), const void* arg);

// rdi = args, rsi = size, rdx = fn, rcx = arg. The kernel points the child's
// rsp at stack + stack_size (16-byte aligned by the caller), so the call
// below enters fn with the ABI's alignment. endbr64 is a no-op without CET.
// push/popsection: the compiler's idea of the current section stays true.
asm(R"(
  .pushsection .text
  .globl tsoci_clone3_vfork
  .hidden tsoci_clone3_vfork
  .type tsoci_clone3_vfork, @function
tsoci_clone3_vfork:
  endbr64
  mov %rdx, %r8
  mov %rcx, %r9
  mov $435, %eax
  syscall
  test %rax, %rax
  jnz 1f
  xor %ebp, %ebp
  mov %r9, %rdi
  call *%r8
  mov $127, %edi
  mov $231, %eax
  syscall
  hlt
1:
  ret
  .size tsoci_clone3_vfork, .-tsoci_clone3_vfork
  .popsection
)");

namespace tsoci::addon {

long Clone3Vfork(struct clone_args* args, void (*fn)(const void*), const void* arg) {
  args->flags |= CLONE_VM | CLONE_VFORK;
  return tsoci_clone3_vfork(args, sizeof *args, fn, arg);
}

}  // namespace tsoci::addon
