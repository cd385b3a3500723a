// The default way runtime-side hooks are started: through
// `ts-oci-init --exec-hook`, which closes every descriptor above 2 and then
// execs the hook (native/init/hook_launcher.h). Node cannot close what a
// child inherits, and an fd this process received without close-on-exec
// (above the range node marks at startup) would otherwise reach the hook.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import { helperPath } from '../native';
import type { HookSpawner } from './run';

const LAUNCH_FAILURE = /^ts-oci-init: exec hook: (E[A-Z0-9]+)\n$/;

export const spawnHookClosingFds: HookSpawner = (file, args, options) => {
  const r = spawnSync(helperPath(), ['--exec-hook', file, options.argv0, ...args], { ...options, argv0: 'ts-oci-init' });
  return launchErrorAsSpawnError(r);
};

/** The launcher's "could not execve the hook" becomes the error spawnSync itself would give. */
function launchErrorAsSpawnError(r: SpawnSyncReturns<Buffer>): SpawnSyncReturns<Buffer> {
  const m = r.status === 127 ? LAUNCH_FAILURE.exec(r.stderr?.toString() ?? '') : null;
  if (!m) return r;
  const error = Object.assign(new Error(`spawnSync ${m[1]}`), { code: m[1] });
  return { ...r, error, status: null };
}
