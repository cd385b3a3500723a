// Fields that only some hosts can apply: the LSM labels and Intel RDT.
// Each is applied when the host has the feature and refused otherwise,
// with one line naming the field (runtime.md: a property that cannot be
// applied MUST be an error). What runc and crun do is noted per field.
import type { Spec } from '../spec/types';
import type { PlanOp } from './ops';
import type { PlanFail } from './plan-fail';
import type { HostFeatures } from './host-features';

/**
 * process.apparmorProfile and process.selinuxLabel: written to the helper's
 * exec attributes, so they take effect at the container's execve. Done
 * before capabilities are dropped, as runc does.
 */
export function lsmLabelOps(config: Spec, host: HostFeatures, fail: PlanFail): PlanOp[] {
  const ops: PlanOp[] = [];
  const profile = config.process?.apparmorProfile;
  if (profile) {
    // runc and crun fail the same way when AppArmor is off.
    if (!host.apparmor) fail('/process/apparmorProfile', 'AppArmor is not enabled on this host');
    ops.push({ op: 'procWrite', path: host.apparmorExecAttr, value: `exec ${profile}` });
  }
  const label = config.process?.selinuxLabel;
  if (label) {
    // runc's validator refuses a process label when SELinux is off (its phrase).
    if (!host.selinux) fail('/process/selinuxLabel', 'selinux label is specified in config, but selinux is disabled or not supported');
    ops.push({ op: 'procWrite', path: 'thread-self/attr/exec', value: label });
  }
  return ops;
}

/**
 * linux.mountLabel: the `context=` option of the container's own
 * filesystems (mounts.ts). Without SELinux the kernel would refuse the
 * option (tmpfs: EINVAL), so this refuses it up front, naming the field.
 */
export function mountLabel(config: Spec, host: HostFeatures, fail: PlanFail): string | undefined {
  const label = config.linux?.mountLabel;
  if (!label) return undefined;
  if (!host.selinux) fail('/linux/mountLabel', 'a mount label is specified in config, but selinux is disabled or not supported');
  if (/["\n,]/.test(label)) fail('/linux/mountLabel', `invalid mount label ${JSON.stringify(label)}`);
  return label;
}

/** linux.intelRdt: resctrl groups are not written by this runtime yet. */
export function checkIntelRdt(config: Spec, host: HostFeatures, fail: PlanFail): void {
  if (config.linux?.intelRdt === undefined) return;
  if (!host.resctrl) fail('/linux/intelRdt', 'Intel RDT is not available on this host: resctrl is not mounted');
  fail('/linux/intelRdt', 'Intel RDT (resctrl) is not supported yet');
}
