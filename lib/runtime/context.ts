// What the CLI and the library hand to every runtime operation
// (crun's libcrun_context_t).
import * as fs from 'fs';
import type { TerminalOptions } from './console';

export interface RuntimeContext {
  /** State root, one directory per container. */
  root: string;
  /** Where warnings go (poststop hook failures, cleanup problems). */
  warn?: (message: string) => void;
  /** `--debug`: what the runtime decided and did, step by step. */
  debug?: (message: string) => void;
  /**
   * Who makes a new container's cgroup (`--systemd-cgroup`): cgroupfs (the
   * default) or systemd (a transient scope). Later commands read it from
   * the container's record.
   */
  cgroupManager?: 'cgroupfs' | 'systemd';
}

export interface CreateOptions extends TerminalOptions {
  id: string;
  bundle: string;
  pidFile?: string;
  noPivot?: boolean;
  noNewKeyring?: boolean;
  preserveFds?: number;
  /**
   * The descriptors this process received from its caller, the only ones
   * preserveFds may hand on (node's own sit at low numbers too). The CLI
   * takes them from bin/ts-oci, which records them before node starts.
   */
  passedFds?: readonly number[];
}

export const DEFAULT_ROOT = '/run/ts-oci';

/**
 * True when this process runs in a user namespace other than the host's
 * (Podman's rootless mode runs the runtime as root of the user's own
 * namespace): root there may not mknod, write the host's cgroups, or mount
 * sysfs for a network namespace it does not own.
 */
export function inUserNamespace(read: (file: string) => string = (f) => fs.readFileSync(f, 'utf8')): boolean {
  try {
    return read('/proc/self/uid_map').trim().split(/\s+/).join(' ') !== '0 0 4294967295';
  } catch {
    return false;
  }
}

/**
 * The state root when none is given: /run/ts-oci, or $XDG_RUNTIME_DIR/ts-oci
 * when that is set and we are an ordinary user, or root of a user namespace
 * other than "root"'s (Podman rootless, which passes no --root): runc's rule
 * (shouldHonorXDGRuntimeDir).
 */
export function defaultRoot(euid: number = process.geteuid?.() ?? 0, env: Record<string, string | undefined> = process.env,
  inUserns: () => boolean = () => inUserNamespace()): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (!xdg) return DEFAULT_ROOT;
  const honour = euid !== 0 || (inUserns() && env.USER !== 'root');
  return honour ? `${xdg.replace(/\/+$/, '')}/ts-oci` : DEFAULT_ROOT;
}
