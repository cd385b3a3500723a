// Hooks that run in the runtime's namespace (prestart, createRuntime,
// poststart, poststop), with the state JSON for the status they observe.
// createContainer and startContainer run inside the container: the helper
// runs those (plan ops).
import { runHooks } from '../hooks/run';
import type { HookName } from '../spec/types';
import { ContainerRecord } from '../state/record';
import { ociState } from './oci-state';

export async function runRuntimeHooks(
  record: ContainerRecord,
  kinds: HookName[],
  status: string,
  warn?: (message: string) => void,
): Promise<void> {
  const json = JSON.stringify(ociState(record, status));
  for (const kind of kinds) {
    const warnings = await runHooks(kind, record.hooks?.[kind], json, { failFast: !warn });
    for (const w of warnings) warn?.(w);
  }
}
