// linux.netDevices on the host side: find each device (its index and the
// addresses the spec says move with it) before the plan is built, and move
// it into the container's network namespace right after clone, while the
// helper still waits for its plan.
import * as fs from 'fs';
import * as path from 'path';
import { ContainerSystemError, RuntimeError } from '../errors';
import { native } from '../native';
import { planFail } from '../plan/plan-fail';
import { netDeviceMoves, PreparedNetDevice } from '../plan/net-devices';
import { isHostNetns } from '../spec/validate-linux';
import type { Spec } from '../spec/types';

export function prepareNetDevices(config: Spec, bundle: string): PreparedNetDevice[] {
  const fail = planFail(bundle);
  return netDeviceMoves(config.linux ?? {}, isHostNetns, fail).map((m) => {
    try {
      return { ...m, ...native().netdevAddresses(m.hostName) };
    } catch (e) {
      if ((e as ContainerSystemError).code === 'ENODEV') {
        fail(`/linux/netDevices/${m.hostName}`, `no network device ${JSON.stringify(m.hostName)} on the host`);
      }
      throw e;
    }
  });
}

/** The new namespace of the (waiting) init, or the one it will join by path. */
function targetNetns(config: Spec, pid: number): string {
  const net = (config.linux?.namespaces ?? []).find((n) => n.type === 'network');
  return net?.path || path.join('/proc', String(pid), 'ns', 'net');
}

export function moveNetDevices(devices: readonly PreparedNetDevice[], config: Spec, pid: number): void {
  if (devices.length === 0) return;
  const fd = fs.openSync(targetNetns(config, pid), fs.constants.O_RDONLY);
  try {
    for (const d of devices) {
      try {
        native().netdevMove(d.index, fd, d.moveName);
      } catch (e) {
        const code = (e as ContainerSystemError).code ?? String(e);
        const why = code === 'EEXIST' ? `a device named ${JSON.stringify(d.moveName || d.hostName)} already exists there` : code;
        throw new RuntimeError(`move network device ${d.hostName} into the container: ${why}`, { cause: e });
      }
    }
  } finally {
    fs.closeSync(fd);
  }
}
