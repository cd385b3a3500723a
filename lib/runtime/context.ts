// What the CLI and the library hand to every runtime operation
// (crun's libcrun_context_t).

export interface RuntimeContext {
  /** State root, one directory per container. */
  root: string;
  /** Where warnings go (poststop hook failures, cleanup problems). */
  warn?: (message: string) => void;
}

export interface CreateOptions {
  id: string;
  bundle: string;
  pidFile?: string;
  consoleSocket?: string;
  noPivot?: boolean;
  noNewKeyring?: boolean;
  preserveFds?: number;
}

export const DEFAULT_ROOT = '/run/ts-oci';
