// `update`: new resource values for a created, running or paused container,
// written through its cgroup manager and saved in its record, so `state`,
// `events --stats` and later updates start from them.
import * as fs from 'fs';
import { ConfigError, RuntimeError, StateError } from '../errors';
import type { Resources, Spec } from '../spec/types';
import { readState, writeState } from '../state/store';
import { withContainerLock } from './locked';
import { RuntimeContext } from './context';
import { currentStatus } from './status';
import { cgroupManagerOf } from './cgroup';
import { mergeResources, sectionsToWrite } from '../cgroups/update-resources';
import { withAllowedDevices } from '../cgroups/allowed-devices';
import type { CgroupManager } from '../cgroups/cgroup-manager';

/** -r FILE or - (stdin): a linux.resources object. */
export function readResourcesFile(file: string): Resources {
  const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file}: invalid JSON: ${(e as Error).message}`, file);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${file}: need a linux.resources object`, file);
  return value as Resources;
}

/** runc's checkBeforeUpdate: a memory limit below the current usage is refused, not left to the OOM killer. */
function checkUsageBelowLimit(manager: CgroupManager, merged: Resources, update: Resources): void {
  const limit = update.memory?.limit;
  if (!merged.memory?.checkBeforeUpdate || limit === undefined || limit <= 0) return;
  const usage = manager.stats().memory.usage.usage;
  if (usage !== undefined && usage > BigInt(limit)) {
    throw new RuntimeError(`unable to set memory limit to ${limit} (current usage: ${usage})`);
  }
}

export async function updateContainer(ctx: RuntimeContext, id: string, update: Resources): Promise<void> {
  await withContainerLock(ctx, id, async (dir) => {
    const record = readState(ctx.root, id);
    const status = currentStatus(record, dir);
    if (status === 'stopped') throw new StateError('container not running');
    const manager = cgroupManagerOf(record.cgroupDirs);
    if (!manager) throw new RuntimeError('cannot update: the container has no cgroup');
    const config: Partial<Spec> = record.config ?? {};
    const current = config.linux?.resources;
    const merged = mergeResources(current, update);
    checkUsageBelowLimit(manager, merged, update);
    const toWrite = sectionsToWrite(merged, update);
    if (toWrite.devices) toWrite.devices = withAllowedDevices(merged, config.linux?.devices).devices;
    try {
      await manager.update(toWrite);
    } catch (e) {
      if (e instanceof ConfigError && !e.message.startsWith('update')) throw new ConfigError(`update: ${e.message}`, undefined, e.field);
      throw e;
    }
    record.config = { ...config, linux: { ...(config.linux ?? {}), resources: merged } } as Spec;
    writeState(dir, record);
  });
}
