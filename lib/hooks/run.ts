// Runs OCI hooks in the runtime's namespaces (prestart, createRuntime,
// poststart, poststop; createContainer and startContainer run inside the
// container, from the helper). Each hook gets the state JSON on stdin and
// exactly the env the config gives it: never the runtime's own, and no
// descriptor beyond its stdio (spawn-hook.ts).
import * as path from 'path';
import { ConfigError, RuntimeError } from '../errors';
import type { Hook, HookName } from '../spec/types';
import { spawnHookClosingFds } from './spawn-hook';

export class HookError extends RuntimeError {
  constructor(
    message: string,
    readonly hookKind: HookName,
    readonly hookPath: string,
    readonly exitStatus?: number,
  ) {
    super(message);
  }
}

/** How a hook ended: spawnSync's fields, which a spawner may also return as they are. */
export interface HookResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr?: Buffer | string | null;
  /** code ETIMEDOUT: killed at its timeout; EPIPE: it did not read its stdin. */
  error?: Error;
}

export type HookSpawner = (file: string, args: string[], options: {
  argv0: string;
  env: NodeJS.ProcessEnv;
  input: string;
  timeout?: number;
  killSignal: NodeJS.Signals;
  stdio: 'pipe';
  windowsHide: boolean;
}) => HookResult | Promise<HookResult>;

export interface RunHookOptions {
  spawn?: HookSpawner;
}

const STDERR_TAIL = 512;

/** "K=V" strings → an env object; later duplicates win, entries without "=" are dropped. */
export function envArrayToObject(env: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of env) {
    const eq = entry.indexOf('=');
    if (eq > 0) out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

function tail(buf: Buffer | string | null | undefined): string {
  const text = (buf ?? '').toString().trim();
  return text.length > STDERR_TAIL ? `...${text.slice(-STDERR_TAIL)}` : text;
}

function failure(kind: HookName, hook: Hook, r: HookResult): HookError | undefined {
  const name = `${kind} hook ${hook.path}`;
  const err = r.error as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ETIMEDOUT') return new HookError(`${name}: timed out after ${hook.timeout}s`, kind, hook.path);
  // A hook that exits without reading its stdin makes the write fail with
  // EPIPE; its exit status is what counts (Go's os/exec ignores it too).
  if (err && !(err.code === 'EPIPE' && r.status !== null)) {
    return new HookError(`${name}: ${err.code ?? err.message}`, kind, hook.path);
  }
  const stderr = tail(r.stderr);
  const suffix = stderr ? `: ${stderr}` : '';
  if (r.signal) return new HookError(`${name}: killed by ${r.signal}${suffix}`, kind, hook.path);
  if (r.status !== 0) return new HookError(`${name}: exit status ${r.status}${suffix}`, kind, hook.path, r.status ?? undefined);
  return undefined;
}

/** Runs one hook (asynchronously: the event loop keeps turning); rejects with HookError on spawn failure, non-zero exit, signal or timeout. */
export async function runHook(kind: HookName, hook: Hook, stateJson: string, opts: RunHookOptions = {}): Promise<void> {
  if (!hook.path || !path.isAbsolute(hook.path)) {
    throw new ConfigError(`${kind} hook path must be absolute: ${JSON.stringify(hook.path)}`, undefined, `hooks.${kind}`);
  }
  const args = hook.args ?? [];
  const spawn = opts.spawn ?? spawnHookClosingFds;
  const result = await spawn(hook.path, args.slice(1), {
    // args[0] is argv[0] in the spec (execve semantics), not the first argument.
    argv0: args.length > 0 ? args[0] : hook.path,
    env: envArrayToObject(hook.env ?? []),
    input: stateJson,
    timeout: hook.timeout && hook.timeout > 0 ? hook.timeout * 1000 : undefined,
    killSignal: 'SIGKILL',
    stdio: 'pipe',
    windowsHide: true,
  });
  const error = failure(kind, hook, result);
  if (error) throw error;
}

export interface RunHooksOptions extends RunHookOptions {
  /** Stop at the first failure and throw (default: every kind but poststop). */
  failFast?: boolean;
}

/**
 * Runs hooks in order. With failFast (the default except for poststop) the
 * first failure is thrown; without it every hook runs and the failures come
 * back as warning strings (runtime.md: poststop failures only warn).
 */
export async function runHooks(kind: HookName, hooks: Hook[] | undefined, stateJson: string, opts: RunHooksOptions = {}): Promise<string[]> {
  const failFast = opts.failFast ?? kind !== 'poststop';
  const warnings: string[] = [];
  for (const hook of hooks ?? []) {
    try {
      await runHook(kind, hook, stateJson, opts);
    } catch (e) {
      if (failFast) throw e;
      warnings.push((e as Error).message);
    }
  }
  return warnings;
}
