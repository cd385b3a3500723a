// What the CLI and the library hand to every runtime operation
// (crun's libcrun_context_t).
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
