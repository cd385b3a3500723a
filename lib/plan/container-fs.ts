// Steps after pivot_root that shape what the container sees of the kernel:
// sysctls, read-only and masked paths, a read-only root, host and domain name.
import type { Spec } from '../spec/types';
import type { PlanOp } from './ops';
import { sysctlComponents } from '../spec/validate-linux';
import { containerPath } from './mounts';

/** The /proc-relative file of a sysctl ("net.ipv4.ip_forward" -> "sys/net/ipv4/ip_forward"). */
export function sysctlProcPath(key: string): string {
  // Validation refused keys with empty, "." or ".." components; the helper refuses them again.
  return `sys/${sysctlComponents(key).join('/')}`;
}

export function containerFsOps(config: Spec): PlanOp[] {
  const linux = config.linux ?? {};
  const ops: PlanOp[] = [];
  // Sysctls go through the helper's private procfs, so a read-only /proc/sys
  // in the container (readonlyPaths) does not get in the way.
  for (const [key, value] of Object.entries(linux.sysctl ?? {})) {
    ops.push({ op: 'procWrite', path: sysctlProcPath(key), value });
  }
  // runc's order: read-only paths first, then masks, so a mask below a
  // read-only path ends up on top of it.
  for (const p of linux.readonlyPaths ?? []) ops.push({ op: 'readonly', path: containerPath(p) });
  for (const p of linux.maskedPaths ?? []) ops.push({ op: 'mask', path: containerPath(p) });
  // Last of the mount changes: the steps above mount inside the root.
  if (config.root?.readonly) ops.push({ op: 'remountRootReadonly' });
  if (config.hostname !== undefined && config.hostname !== '') ops.push({ op: 'sethostname', name: config.hostname });
  if (config.domainname !== undefined && config.domainname !== '') {
    ops.push({ op: 'setdomainname', name: config.domainname });
  }
  return ops;
}
