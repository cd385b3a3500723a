// What the host offers for the config fields that depend on it (LSMs,
// resctrl). Probed once per create by the runtime; the plan builder only
// reads this record, so its decisions are unit-testable.
import * as fs from 'fs';

export interface HostFeatures {
  /** AppArmor is enabled: profiles can be applied. */
  apparmor: boolean;
  /** procfs file (relative to /proc) that takes "exec <profile>" for the next execve. */
  apparmorExecAttr: string;
  /** SELinux is enabled (selinuxfs mounted). */
  selinux: boolean;
  /** Intel RDT's resctrl filesystem is mounted. */
  resctrl: boolean;
}

/** A host with none of them: what the plan assumes when told nothing (fail closed). */
export const NO_HOST_FEATURES: HostFeatures = { apparmor: false, apparmorExecAttr: '', selinux: false, resctrl: false };

const readTrim = (p: string): string | undefined => {
  try {
    return fs.readFileSync(p, 'utf8').trim();
  } catch {
    return undefined;
  }
};

function mountedFsTypes(): Set<string> {
  const types = new Set<string>();
  for (const line of (readTrim('/proc/self/mountinfo') ?? '').split('\n')) {
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    if (sep > 0) types.add(fields[sep + 1]);
  }
  return types;
}

/** runc's checks: apparmor.IsEnabled (module parameter Y + securityfs dir), selinuxfs mounted, resctrl mounted. */
export function probeHostFeatures(): HostFeatures {
  const apparmor = readTrim('/sys/module/apparmor/parameters/enabled') === 'Y' && fs.existsSync('/sys/kernel/security/apparmor');
  const types = mountedFsTypes();
  return {
    apparmor,
    // Linux >= 5.8 has an AppArmor-specific attr directory; older kernels share attr/exec.
    apparmorExecAttr: fs.existsSync('/proc/thread-self/attr/apparmor') ? 'thread-self/attr/apparmor/exec' : 'thread-self/attr/exec',
    selinux: types.has('selinuxfs') && readTrim('/proc/thread-self/attr/current') !== 'kernel',
    resctrl: types.has('resctrl'),
  };
}
