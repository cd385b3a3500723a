// The default way runtime-side hooks are started: through
// `ts-oci-init --exec-hook`, which closes every descriptor above 2 and then
// execs the hook (native/init/hook_launcher.h). Node cannot close what a
// child inherits, and an fd this process received without close-on-exec
// (above the range node marks at startup) would otherwise reach the hook.
// Asynchronous (spawn, not spawnSync): a slow hook must not stop the event
// loop; at its timeout it is SIGKILLed, as runc does.
import { spawn } from 'child_process';
import { helperPath } from '../native';
import type { HookResult, HookSpawner } from './run';

const LAUNCH_FAILURE = /^ts-oci-init: exec hook: (E[A-Z0-9]+)\n$/;
/** What is kept of a hook's stderr (the error shows a 512-byte tail). */
const STDERR_KEEP = 64 * 1024;

export const spawnHookClosingFds: HookSpawner = async (file, args, options) => {
  const r = await runToExit(helperPath(), ['--exec-hook', file, options.argv0, ...args], options);
  return launchErrorAsSpawnError(r);
};

function errnoError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** spawnSync's contract without blocking: feeds input, keeps stderr's tail, kills at the timeout. */
function runToExit(command: string, args: string[], options: Parameters<HookSpawner>[2]): Promise<HookResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { argv0: 'ts-oci-init', env: options.env, stdio: 'pipe', windowsHide: true });
    let stderr = Buffer.alloc(0);
    let error: Error | undefined;
    let settled = false;
    const finish = (status: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, signal, stderr, error });
    };
    const timer = options.timeout
      ? setTimeout(() => {
          error = errnoError('ETIMEDOUT', `spawn ${command} ETIMEDOUT`);
          child.kill(options.killSignal);
        }, options.timeout)
      : undefined;
    child.stdout.resume();
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = Buffer.concat([stderr, chunk]);
      if (stderr.length > STDERR_KEEP) stderr = stderr.subarray(stderr.length - STDERR_KEEP);
    });
    // A hook that exits without reading its stdin: EPIPE, which failure() forgives.
    child.stdin.on('error', (e) => { error ??= e; });
    child.stdin.end(options.input);
    child.on('error', (e) => {
      error ??= e;
      if (child.pid === undefined) finish(null, null);  // never started: no 'close' follows
    });
    child.on('close', finish);
  });
}

/** The launcher's "could not execve the hook" becomes the error spawnSync itself would give. */
function launchErrorAsSpawnError(r: HookResult): HookResult {
  const m = r.status === 127 ? LAUNCH_FAILURE.exec(r.stderr?.toString() ?? '') : null;
  if (!m) return r;
  return { ...r, error: errnoError(m[1], `spawn ${m[1]}`), status: null };
}
