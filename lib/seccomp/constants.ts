// The OCI names of seccomp actions, operators, architectures and flags, and
// the values libseccomp and the kernel use for them (<seccomp.h>,
// <linux/seccomp.h>). TS computes every value; the addon only passes them on.
import type { SeccompAction, SeccompFlag, SeccompOperator } from '../spec/types';

const EPERM = 1;

/** SCMP_ACT_* (= SECCOMP_RET_*) without the 16-bit data; ERRNO and TRACE carry data. */
export const ACTION_BASE: Record<SeccompAction, number> = {
  // runc maps the old SCMP_ACT_KILL to KILL_THREAD, as libseccomp does.
  SCMP_ACT_KILL: 0x00000000,
  SCMP_ACT_KILL_THREAD: 0x00000000,
  SCMP_ACT_KILL_PROCESS: 0x80000000,
  SCMP_ACT_TRAP: 0x00030000,
  SCMP_ACT_ERRNO: 0x00050000,
  SCMP_ACT_TRACE: 0x7ff00000,
  SCMP_ACT_LOG: 0x7ffc0000,
  SCMP_ACT_ALLOW: 0x7fff0000,
  SCMP_ACT_NOTIFY: 0x7fc00000,
};

export const ACTIONS = Object.keys(ACTION_BASE) as SeccompAction[];

/** Actions whose 16-bit data is the errno (ERRNO) or the tracer's message (TRACE). */
export function takesErrno(action: SeccompAction): boolean {
  return action === 'SCMP_ACT_ERRNO' || action === 'SCMP_ACT_TRACE';
}

/** The libseccomp action value; errnoRet defaults to EPERM, as in runc. */
export function actionValue(action: SeccompAction, errnoRet: number | undefined): number {
  const base = ACTION_BASE[action];
  return takesErrno(action) ? (base | ((errnoRet ?? EPERM) & 0xffff)) >>> 0 : base;
}

/** enum scmp_compare. */
export const OPERATORS: Record<SeccompOperator, number> = {
  SCMP_CMP_NE: 1,
  SCMP_CMP_LT: 2,
  SCMP_CMP_LE: 3,
  SCMP_CMP_EQ: 4,
  SCMP_CMP_GE: 5,
  SCMP_CMP_GT: 6,
  SCMP_CMP_MASKED_EQ: 7,
};

/** OCI architecture -> the name seccomp_arch_resolve_name knows. */
export const ARCHITECTURES: Record<string, string> = {
  SCMP_ARCH_X86: 'x86',
  SCMP_ARCH_X86_64: 'x86_64',
  SCMP_ARCH_X32: 'x32',
  SCMP_ARCH_ARM: 'arm',
  SCMP_ARCH_AARCH64: 'aarch64',
  SCMP_ARCH_LOONGARCH64: 'loongarch64',
  SCMP_ARCH_M68K: 'm68k',
  SCMP_ARCH_MIPS: 'mips',
  SCMP_ARCH_MIPS64: 'mips64',
  SCMP_ARCH_MIPS64N32: 'mips64n32',
  SCMP_ARCH_MIPSEL: 'mipsel',
  SCMP_ARCH_MIPSEL64: 'mipsel64',
  SCMP_ARCH_MIPSEL64N32: 'mipsel64n32',
  SCMP_ARCH_PPC: 'ppc',
  SCMP_ARCH_PPC64: 'ppc64',
  SCMP_ARCH_PPC64LE: 'ppc64le',
  SCMP_ARCH_S390: 's390',
  SCMP_ARCH_S390X: 's390x',
  SCMP_ARCH_SH: 'sh',
  SCMP_ARCH_SHEB: 'sheb',
  SCMP_ARCH_PARISC: 'parisc',
  SCMP_ARCH_PARISC64: 'parisc64',
  SCMP_ARCH_RISCV64: 'riscv64',
};

/** SECCOMP_FILTER_FLAG_* the config may ask for. */
export const FLAGS: Record<SeccompFlag, number> = {
  SECCOMP_FILTER_FLAG_TSYNC: 1 << 0,
  SECCOMP_FILTER_FLAG_LOG: 1 << 1,
  SECCOMP_FILTER_FLAG_SPEC_ALLOW: 1 << 2,
  SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV: 1 << 5,
};

/** Flags the runtime adds itself. */
export const FLAG_NEW_LISTENER = 1 << 3;
export const FLAG_TSYNC_ESRCH = 1 << 4;

/** The highest errno the kernel returns from a filter (MAX_ERRNO); larger data is clamped. */
export const MAX_ERRNO = 4095;

/**
 * Syscalls the helper makes after loading a NOTIFY filter and before the
 * listener fd reaches the runtime: notifying on them would wait forever for
 * an agent that has no fd yet (runc refuses `write` for the same reason).
 */
export const NOTIFY_FORBIDDEN = ['sendmsg', 'sendto'];
