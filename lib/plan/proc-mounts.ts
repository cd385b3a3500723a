// Mounts onto or under /proc, after runc's checkProcMount: onto /proc only
// procfs (or a bind the helper checks is a procfs root), under /proc only
// binds over the regular files lxcfs emulates. Anything else could hide
// /proc/sys or /proc/self from the masks and read-only paths that follow.
// ts-oci-init checks the same again, after resolving symlinks.
import type { Mount } from '../spec/types';

export const BINDABLE_PROC_FILES: readonly string[] = [
  '/proc/cpuinfo', '/proc/diskstats', '/proc/meminfo', '/proc/stat', '/proc/swaps', '/proc/uptime',
  '/proc/loadavg', '/proc/slabinfo', '/proc/sys/kernel/ns_last_pid', '/proc/sys/crypto/fips_enabled',
];

/** Why a mount at `dest` (a clean container path) is refused, or undefined. */
export function procMountProblem(m: Mount, dest: string, bind: boolean): string | undefined {
  if (dest === '/proc') {
    return bind || m.type === 'proc' ? undefined : `"${dest}" cannot be mounted because it is not of type proc`;
  }
  if (!dest.startsWith('/proc/')) return undefined;
  if (bind && BINDABLE_PROC_FILES.includes(dest)) return undefined;
  return `"${dest}" cannot be mounted because it is inside /proc`;
}
