// A validated linux.seccomp -> the plain description the addon compiles
// (one entry per seccomp_rule_add call) and the flags ts-oci-init loads it
// with. Pure: unit-tested without libseccomp.
import type { SeccompProgramDesc, SeccompRuleDesc } from '../native';
import type { Seccomp, SeccompArg, SeccompSyscall } from '../spec/types';
import { actionValue, ARCHITECTURES, FLAG_NEW_LISTENER, FLAG_TSYNC_ESRCH, FLAGS, OPERATORS } from './constants';
import { usesNotify } from './validate';

export interface SeccompDescription {
  program: SeccompProgramDesc;
  /** The config field each rule comes from: "/linux/seccomp/syscalls/3/names/1". */
  ruleFields: string[];
  /** SECCOMP_FILTER_FLAG_* for seccomp(SECCOMP_SET_MODE_FILTER). */
  loadFlags: number;
  /** A NOTIFY rule: the helper asks for a listener and hands it back. */
  notify: boolean;
}

function condition(arg: SeccompArg): SeccompRuleDesc['args'][number] {
  // For SCMP_CMP_MASKED_EQ, value is the mask and valueTwo the datum (runc, libseccomp).
  return { index: arg.index, op: OPERATORS[arg.op], value: BigInt(arg.value), valueTwo: BigInt(arg.valueTwo ?? 0) };
}

/**
 * runc's rule: when one argument index appears more than once, every
 * condition becomes a rule of its own (OR'ed: libseccomp cannot AND two
 * conditions on one argument); otherwise all conditions form one rule (AND).
 */
export function conditionSets(args: readonly SeccompArg[]): SeccompRuleDesc['args'][] {
  const conds = args.map(condition);
  const indexes = new Set(args.map((a) => a.index));
  return indexes.size < args.length ? conds.map((c) => [c]) : [conds];
}

function syscallRules(call: SeccompSyscall, field: string, defaultAction: number): [SeccompRuleDesc, string][] {
  const action = actionValue(call.action, call.errnoRet);
  // Same as the default: a no-op that libseccomp refuses (EACCES); runc skips it too.
  if (action === defaultAction) return [];
  const sets = conditionSets(call.args ?? []);
  return call.names.flatMap((name, j) =>
    sets.map((args): [SeccompRuleDesc, string] => [{ name, action, args }, `${field}/names/${j}`]));
}

export function loadFlags(s: Seccomp): number {
  const notify = usesNotify(s);
  let flags = 0;
  for (const f of s.flags ?? []) {
    // Meaningful (and accepted by the kernel) only with a listener, as in libseccomp.
    if (f === 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV' && !notify) continue;
    flags |= FLAGS[f];
  }
  if (notify) flags |= FLAG_NEW_LISTENER;
  // The kernel refuses TSYNC with a listener unless told to fail with ESRCH instead.
  if (notify && flags & FLAGS.SECCOMP_FILTER_FLAG_TSYNC) flags |= FLAG_TSYNC_ESRCH;
  return flags;
}

export function describeSeccomp(s: Seccomp): SeccompDescription {
  const defaultAction = actionValue(s.defaultAction, s.defaultErrnoRet);
  const pairs = (s.syscalls ?? []).flatMap((call, i) => syscallRules(call, `/linux/seccomp/syscalls/${i}`, defaultAction));
  return {
    program: {
      defaultAction,
      architectures: (s.architectures ?? []).map((a) => ARCHITECTURES[a]),
      rules: pairs.map(([r]) => r),
    },
    ruleFields: pairs.map(([, f]) => f),
    loadFlags: loadFlags(s),
    notify: usesNotify(s),
  };
}
