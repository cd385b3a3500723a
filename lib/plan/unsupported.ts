// config.json settings the plan does not apply yet. They are reported as
// warnings rather than errors so configs written by engines (which set most
// of them by default) still run; each line says what is ignored.
import type { Spec } from '../spec/types';

const IGNORED_PROCESS_FIELDS = ['apparmorProfile', 'selinuxLabel', 'scheduler', 'ioPriority', 'execCPUAffinity'] as const;
const IGNORED_LINUX_FIELDS = ['personality', 'memoryPolicy', 'intelRdt', 'netDevices', 'mountLabel'] as const;

export function unsupportedWarnings(config: Spec): string[] {
  const warnings: string[] = [];
  for (const f of IGNORED_PROCESS_FIELDS) {
    if (config.process?.[f] !== undefined) warnings.push(`process.${f} is not supported yet and is ignored`);
  }
  for (const f of IGNORED_LINUX_FIELDS) {
    if (config.linux?.[f] !== undefined) warnings.push(`linux.${f} is not supported yet and is ignored`);
  }
  return warnings;
}
