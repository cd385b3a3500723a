// Fields this runtime does not apply at all (yet): each one present stops
// the create with one line naming it, never a warning (runtime.md: a
// property that cannot be applied MUST be an error).
import type { Spec } from '../spec/types';
import type { PlanFail } from './plan-fail';

// Sections for other platforms or for VM-isolated containers: applying a
// Linux container instead would silently give something else than asked.
const FOREIGN_SECTIONS = ['solaris', 'windows', 'vm', 'zos', 'freebsd'] as const;

export function refuseUnappliedFields(config: Spec, fail: PlanFail): void {
  const raw = config as unknown as Record<string, unknown>;
  for (const section of FOREIGN_SECTIONS) {
    if (raw[section] !== undefined) {
      fail(`/${section}`, section === 'vm'
        ? 'virtual-machine-based containers are not supported: ts-oci runs Linux containers in namespaces'
        : `configuration for ${section}: ts-oci runs Linux containers only`);
    }
  }
}
