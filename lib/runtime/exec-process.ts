// What `exec` runs, with runc's rules (exec.go getProcess, libcontainer's
// setns init): the container's process as recorded at create, with the
// caller's args and overrides on top; or a whole process.json, falling back
// to the container's capabilities, rlimits, umask, AppArmor profile and
// SELinux label where the file has none.
import { ConfigError } from '../errors';
import type { Capabilities, Process } from '../spec/types';
import { isKnownCapability } from '../spec/capabilities';
import { checkProcess } from '../spec/validate';

/** The library's exec argument: any process fields; `env` adds to the container's. */
export type ExecProcessInput = Partial<Process> & { args: string[] };

/** runc exec's flags that shape the process (CLI). */
export interface ExecProcessFlags {
  args: string[];
  cwd?: string;
  env?: string[];
  /** "uid[:gid]" */
  user?: string;
  additionalGids?: number[];
  caps?: string[];
  noNewPrivs?: boolean;
  apparmor?: string;
  processLabel?: string;
  /** -t: a terminal (runc sets process.terminal from the flag). */
  tty?: boolean;
}

/**
 * Keeps the last occurrence of each key, in place (runc's prepareEnv): an
 * added variable overrides the container's of the same name.
 */
export function dedupEnv(env: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let i = env.length - 1; i >= 0; i--) {
    const kv = env[i];
    const eq = kv.indexOf('=');
    if (eq < 0) throw new ConfigError(`invalid environment variable ${JSON.stringify(kv)}: missing '='`, undefined, 'env');
    if (eq === 0) throw new ConfigError(`invalid environment variable ${JSON.stringify(kv)}: name cannot be empty`, undefined, 'env');
    const key = kv.slice(0, eq);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(kv);
  }
  return out.reverse();
}

function parseId(text: string, what: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 0xfffffffe) throw new ConfigError(`invalid --user ${what} ${JSON.stringify(text)}: need a number`, undefined, 'user');
  return Number(text);
}

// --cap goes to bounding, effective and permitted: never inheritable or
// ambient (an added capability must not survive a later execve of a
// non-root program, and runc's ambient addition depends on the spec's
// inheritable set; ts-oci takes the stricter rule).
function withAddedCaps(caps: Capabilities | undefined, added: readonly string[]): Capabilities {
  for (const c of added) {
    if (!isKnownCapability(c)) throw new ConfigError(`invalid --cap ${JSON.stringify(c)}: unknown capability`, undefined, 'cap');
  }
  const add = (set: string[] | undefined) => [...new Set([...(set ?? []), ...added])];
  return { ...caps, bounding: add(caps?.bounding), effective: add(caps?.effective), permitted: add(caps?.permitted) };
}

/** runc exec without --process: the container's process, the CLI's args and flags on top. */
export function processFromFlags(base: Process, f: ExecProcessFlags): Process {
  const p: Process = { ...base, args: [...f.args], terminal: !!f.tty };
  if (f.cwd) p.cwd = f.cwd;
  if (f.apparmor) p.apparmorProfile = f.apparmor;
  if (f.processLabel) p.selinuxLabel = f.processLabel;
  if (f.caps?.length) p.capabilities = withAddedCaps(base.capabilities, f.caps);
  p.env = dedupEnv([...(base.env ?? []), ...(f.env ?? [])]);
  if (f.noNewPrivs) p.noNewPrivileges = true;
  if (f.user) {
    const [uid, gid] = f.user.split(':', 2);
    p.user = { ...base.user, uid: parseId(uid, 'uid') };
    if (f.user.includes(':')) p.user.gid = parseId(gid, 'gid');
  }
  // runc appends -g to the container's additionalGids (exec.go getProcess).
  if (f.additionalGids?.length) {
    const user = p.user ?? base.user;
    p.user = { ...user, additionalGids: [...(user?.additionalGids ?? []), ...f.additionalGids] };
  }
  return p;
}

/** The library's exec: given fields replace the container's (user shallowly merged); env is added. */
export function processFromInput(base: Process, input: ExecProcessInput): Process {
  const p: Process = { ...base, ...input, terminal: input.terminal ?? false };
  p.env = dedupEnv([...(base.env ?? []), ...(input.env ?? [])]);
  if (input.user) p.user = { ...base.user, ...input.user };
  return p;
}

/** exec --process: the file's process; the container's where libcontainer falls back to it. */
export function processFromFile(base: Process, file: Process): Process {
  return {
    ...file,
    env: dedupEnv(file.env ?? []),
    capabilities: file.capabilities ?? base.capabilities,
    rlimits: file.rlimits?.length ? file.rlimits : base.rlimits,
    apparmorProfile: file.apparmorProfile || base.apparmorProfile,
    selinuxLabel: file.selinuxLabel || base.selinuxLabel,
    user: { ...file.user, umask: file.user?.umask ?? base.user?.umask },
  };
}

/** The checks config.json's process gets, with runc exec's phrases for the common mistakes. */
export function checkExecProcess(p: Process, source: string): void {
  if (!p.args?.length) throw new ConfigError(`${source}: args must not be empty`, source, '/args');
  if (!p.cwd) throw new ConfigError(`${source}: Cwd property must not be empty`, source, '/cwd');
  checkProcess(p, (field, message) => {
    throw new ConfigError(`${source}: ${field.replace(/^\/process/, '')}: ${message}`, source, field);
  });
}
