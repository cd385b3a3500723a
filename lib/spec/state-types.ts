// The two "state" documents: the spec's (runtime.md "State", what hooks read
// on stdin) and runc's `state`/`list` output, which engines parse.

/** runc adds "paused"; it never reports "creating". */
export type ContainerStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

/** The spec's state (schema/state-schema.json): stdin of every hook. */
export interface OciState {
  ociVersion: string;
  id: string;
  status: ContainerStatus;
  /** Required on Linux when created or running. */
  pid?: number;
  bundle: string;
  annotations?: Record<string, string>;
}

/**
 * What `runc state` prints, keys in runc's order. `pid` is 0 once stopped,
 * `created` is RFC 3339 with nanoseconds, `owner` is "" except in `list`.
 */
export interface ContainerState {
  ociVersion: string;
  id: string;
  pid: number;
  status: ContainerStatus;
  bundle: string;
  rootfs: string;
  created: string;
  annotations?: Record<string, string>;
  owner: string;
}
