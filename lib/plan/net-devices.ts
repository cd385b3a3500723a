// linux.netDevices: which host devices move into the container, under
// which names. The runtime moves each one (lib/runtime/net-devices.ts)
// right after clone, before the helper runs the plan; NETDEV_SETUP in the
// plan then names it, adds its addresses back and brings it up. As the
// spec requires, nothing moves it back: when the namespace dies the kernel
// returns physical devices to the host and destroys virtual ones.
import type { Linux, NamespaceType } from '../spec/types';
import type { PlanOp } from './ops';
import type { PlanFail } from './plan-fail';

export interface NetDeviceMove {
  /** The device's name on the host. */
  hostName: string;
  /** Name given in the move itself ("" = keep the host name: a "%d" template is resolved inside). */
  moveName: string;
  /** The name asked for in the container (may hold "%d"). */
  finalName: string;
}

/** A device as the runtime found it: the move plus its addresses (NetdevAddr records). */
export interface PreparedNetDevice extends NetDeviceMove {
  index: number;
  addresses: Buffer;
}

const IFNAMSIZ = 16;

function nameProblem(name: string, template: boolean): string | undefined {
  if (name.length === 0 || name.length >= IFNAMSIZ) return `must be 1 to ${IFNAMSIZ - 1} bytes long`;
  if (name === '.' || name === '..' || /[/:\s]/.test(name)) return 'must not be "." or ".." or contain "/", ":" or white space';
  const percent = name.split('%').length - 1;
  if (percent > (template ? 1 : 0) || (percent === 1 && !name.includes('%d'))) return template ? 'may hold one "%d" and no other "%"' : 'must not contain "%"';
  return undefined;
}

/**
 * The moves linux.netDevices asks for, checked: a private network namespace
 * (new, or joined by a path that is not the runtime's own), valid names, no
 * two devices with one name in the container.
 */
export function netDeviceMoves(linux: Linux, isHostNetns: (path: string) => boolean, fail: PlanFail): NetDeviceMove[] {
  const entries = Object.entries(linux.netDevices ?? {});
  if (entries.length === 0) return [];
  const net = (linux.namespaces ?? []).find((n) => n.type === ('network' as NamespaceType));
  if (!net || (net.path && isHostNetns(net.path))) {
    fail('/linux/netDevices', 'network devices can only be moved into a private network namespace');
  }
  const seen = new Set<string>();
  return entries.map(([hostName, dev]) => {
    const field = `/linux/netDevices/${hostName.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const hostProblem = nameProblem(hostName, false);
    if (hostProblem) fail(field, `invalid host device name ${JSON.stringify(hostName)}: ${hostProblem}`);
    const finalName = dev?.name || hostName;
    const problem = nameProblem(finalName, true);
    if (problem) fail(`${field}/name`, `invalid device name ${JSON.stringify(finalName)}: ${problem}`);
    if (seen.has(finalName)) fail(`${field}/name`, `two network devices would be named ${JSON.stringify(finalName)}`);
    seen.add(finalName);
    const template = finalName.includes('%d');
    return { hostName, moveName: template ? '' : finalName, finalName };
  });
}

/** One NETDEV_SETUP per moved device, run in the container's network namespace. */
export function netDeviceOps(devices: readonly PreparedNetDevice[]): PlanOp[] {
  return devices.map((d) => ({
    op: 'netdevSetup' as const,
    name: d.moveName || d.hostName,
    finalName: d.finalName,
    addresses: d.addresses,
  }));
}
