// Semantic checks of linux.seccomp that the JSON schema cannot express,
// run with the rest of validate.ts, before anything is created. The schema
// already refuses unknown actions, operators, architectures and flags.
import type { Seccomp, SeccompAction, SeccompArg, SeccompSyscall } from '../spec/types';
import type { Fail } from '../spec/validate';
import { ARCHITECTURES, MAX_ERRNO, NOTIFY_FORBIDDEN, OPERATORS, takesErrno, ACTION_BASE, FLAGS } from './constants';

const FIELD = '/linux/seccomp';
// sockaddr_un.sun_path holds 107 bytes and a NUL.
const MAX_SOCKET_PATH = 107;

export function validateSeccomp(s: Seccomp, fail: Fail): void {
  if (!(s.defaultAction in ACTION_BASE)) fail(`${FIELD}/defaultAction`, `unknown action ${JSON.stringify(s.defaultAction)}`);
  if (s.defaultAction === 'SCMP_ACT_NOTIFY') fail(`${FIELD}/defaultAction`, 'SCMP_ACT_NOTIFY cannot be used as default action');
  checkErrno(s.defaultAction, s.defaultErrnoRet, `${FIELD}/defaultErrnoRet`, fail);
  (s.architectures ?? []).forEach((a, i) => {
    if (!(a in ARCHITECTURES)) fail(`${FIELD}/architectures/${i}`, `unknown architecture ${JSON.stringify(a)}`);
  });
  (s.flags ?? []).forEach((f, i) => {
    if (!(f in FLAGS)) fail(`${FIELD}/flags/${i}`, `unknown flag ${JSON.stringify(f)}`);
  });
  (s.syscalls ?? []).forEach((call, i) => checkSyscall(call, `${FIELD}/syscalls/${i}`, fail));
  if (s.listenerMetadata !== undefined && !s.listenerPath) fail(`${FIELD}/listenerMetadata`, 'must not be set without listenerPath');
  if (usesNotify(s)) checkListener(s, fail);
}

const PASSING: readonly SeccompAction[] = ['SCMP_ACT_ALLOW', 'SCMP_ACT_LOG', 'SCMP_ACT_TRACE', 'SCMP_ACT_NOTIFY'];

/** True only when no rule can let execve through (conditions and tracers count as "may"). */
export function deniesExecve(s: Seccomp): boolean {
  const rules = (s.syscalls ?? []).filter((c) => c.names?.includes('execve'));
  if (rules.some((r) => PASSING.includes(r.action))) return false;
  if (!PASSING.includes(s.defaultAction)) return true;
  return rules.some((r) => !r.args?.length);
}

export function usesNotify(s: Seccomp): boolean {
  return (s.syscalls ?? []).some((c) => c.action === 'SCMP_ACT_NOTIFY');
}

function checkErrno(action: string, errnoRet: number | undefined, field: string, fail: Fail): void {
  if (errnoRet === undefined) return;
  // Elsewhere it would be silently meaningless (runc ignores it); refused.
  if (!takesErrno(action as never)) fail(field, `only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, not ${action}`);
  const max = action === 'SCMP_ACT_TRACE' ? 0xffff : MAX_ERRNO;
  if (!Number.isInteger(errnoRet) || errnoRet < 0 || errnoRet > max) fail(field, `must be an integer 0..${max}`);
}

function checkSyscall(call: SeccompSyscall, field: string, fail: Fail): void {
  if (!(call.action in ACTION_BASE)) fail(`${field}/action`, `unknown action ${JSON.stringify(call.action)}`);
  if (!call.names?.length) fail(`${field}/names`, 'must name at least one syscall');
  call.names.forEach((name, j) => {
    if (name === '') fail(`${field}/names/${j}`, 'empty string is not a valid syscall');
    if (call.action === 'SCMP_ACT_NOTIFY' && NOTIFY_FORBIDDEN.includes(name)) {
      fail(`${field}/names/${j}`, `SCMP_ACT_NOTIFY cannot be used for the ${name} syscall: ts-oci-init sends the listener with it`);
    }
  });
  checkErrno(call.action, call.errnoRet, `${field}/errnoRet`, fail);
  (call.args ?? []).forEach((arg, k) => checkArg(arg, `${field}/args/${k}`, fail));
  if ((call.args ?? []).length > 6) fail(`${field}/args`, 'a syscall has at most 6 arguments');
}

function checkArg(arg: SeccompArg, field: string, fail: Fail): void {
  if (!Number.isInteger(arg.index) || arg.index < 0 || arg.index > 5) fail(`${field}/index`, 'must be 0..5');
  if (!(arg.op in OPERATORS)) fail(`${field}/op`, `unknown operator ${JSON.stringify(arg.op)}`);
  checkValue(arg.value, `${field}/value`, fail);
  if (arg.valueTwo !== undefined) {
    checkValue(arg.valueTwo, `${field}/valueTwo`, fail);
    // Only the masked comparison reads it; a non-zero one elsewhere would be ignored.
    if (arg.op !== 'SCMP_CMP_MASKED_EQ' && arg.valueTwo !== 0) fail(`${field}/valueTwo`, `is only used by SCMP_CMP_MASKED_EQ, not ${arg.op}`);
  }
}

// JSON numbers above 2^53 are already rounded when config.json is parsed.
function checkValue(v: number, field: string, fail: Fail): void {
  if (!Number.isSafeInteger(v) || v < 0) fail(field, 'must be an integer 0..2^53-1 (larger JSON numbers lose precision)');
}

function checkListener(s: Seccomp, fail: Fail): void {
  if (!s.listenerPath) fail(`${FIELD}/listenerPath`, 'SCMP_ACT_NOTIFY needs a listenerPath to send the listener to');
  if (Buffer.byteLength(s.listenerPath) > MAX_SOCKET_PATH) fail(`${FIELD}/listenerPath`, `longer than ${MAX_SOCKET_PATH} bytes`);
  if (s.listenerPath.includes('\0')) fail(`${FIELD}/listenerPath`, 'must not contain a NUL byte');
}
