// linux.seccomp -> the BPF program ts-oci-init loads, compiled with
// libseccomp in the Node process before anything of the container exists.
// Every failure is one line naming config.json and the field.
import { errnoName, RuntimeError } from '../errors';
import { native, NativeBinding } from '../native';
import { fieldError } from '../spec/field-error';
import type { Seccomp, SeccompAction } from '../spec/types';
import { ACTION_BASE, FLAGS } from './constants';
import { describeSeccomp } from './describe';
import { deniesExecve } from './validate';

export interface CompiledSeccomp {
  /** struct sock_filter[], as the kernel takes it. */
  bpf: Buffer;
  /** SECCOMP_FILTER_FLAG_* for the load (NEW_LISTENER when notify). */
  flags: number;
  notify: boolean;
  listenerPath?: string;
  listenerMetadata?: string;
  /** Syscall names libseccomp does not know, skipped as runc skips them. */
  skipped: string[];
}

const MAX_INSNS = 4096;

type Binding = Pick<NativeBinding, 'seccompCompile' | 'seccompActionAvailable' | 'seccompFlagSupported'>;

/** Actions and flags the running kernel lacks are refused here, naming the field. */
function checkKernel(s: Seccomp, file: string, b: Binding): void {
  const used: [SeccompAction, string][] = [[s.defaultAction, '/linux/seccomp/defaultAction']];
  (s.syscalls ?? []).forEach((c, i) => used.push([c.action, `/linux/seccomp/syscalls/${i}/action`]));
  for (const [action, field] of used) {
    if (!b.seccompActionAvailable(ACTION_BASE[action])) throw fieldError(file, field, `${action} is not supported by this kernel`);
  }
  (s.flags ?? []).forEach((f, i) => {
    if (!b.seccompFlagSupported(FLAGS[f])) throw fieldError(file, `/linux/seccomp/flags/${i}`, `${f} is not supported by this kernel`);
  });
}

export function compileSeccomp(s: Seccomp, file: string, b: Binding = native()): CompiledSeccomp {
  // A schema-valid profile, but one no container can start under: loaded
  // right before execve, it would leave the helper unable to exec or even
  // to report why (a deny-all profile). Refused at create, not at load.
  if (deniesExecve(s)) throw fieldError(file, '/linux/seccomp', 'the profile denies execve: the container process could never start');
  const d = describeSeccomp(s);
  checkKernel(s, file, b);
  const result = b.seccompCompile(d.program);
  if ('libraryError' in result) throw new RuntimeError(`linux.seccomp needs libseccomp: ${result.libraryError}`);
  if ('error' in result) {
    const { what, index, call, errno } = result.error;
    const why = `${call}: ${errnoName(errno)}`;
    if (what === 'rule') throw fieldError(file, d.ruleFields[index], `${JSON.stringify(d.program.rules[index].name)}: ${why}`);
    if (what === 'architecture') {
      const arch = s.architectures![index];
      const problem = call === 'seccomp_arch_resolve_name' ? 'is not known to this libseccomp' : 'cannot be added to a filter on this host';
      throw fieldError(file, `/linux/seccomp/architectures/${index}`, `${arch} ${problem} (${why})`);
    }
    throw fieldError(file, '/linux/seccomp', why);
  }
  // The kernel's limit per program (BPF_MAXINSNS); refused here, not at load time.
  const insns = result.bpf.length / 8;
  if (insns > MAX_INSNS) {
    throw fieldError(file, '/linux/seccomp', `the compiled filter has ${insns} instructions; the kernel loads at most ${MAX_INSNS}`);
  }
  return {
    bpf: result.bpf,
    flags: d.loadFlags,
    notify: d.notify,
    listenerPath: s.listenerPath,
    listenerMetadata: s.listenerMetadata,
    skipped: [...new Set(result.unknown.map((i) => d.program.rules[i].name))],
  };
}
