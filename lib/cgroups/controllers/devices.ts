// v1 devices controller: each OCI rule becomes one line in devices.allow or
// devices.deny, in spec order (a leading deny-all `a` resets the inherited
// whitelist). cgroup2 gets an eBPF program instead (../device-filter.ts).
import { ConfigError } from '../../errors';
import type { DeviceCgroup } from '../../spec/types';
import { CgroupWrite } from '../write';

function deviceNumber(n: number | undefined | null): string {
  return n === undefined || n === null || n === -1 ? '*' : String(n);
}

export function deviceRuleLine(rule: DeviceCgroup): string {
  const type = rule.type ?? 'a';
  if (!['a', 'b', 'c'].includes(type)) {
    throw new ConfigError(`invalid device cgroup type ${JSON.stringify(type)}`, undefined, 'linux.resources.devices');
  }
  const access = rule.access ?? 'rwm';
  if (!/^[rwm]{1,3}$/.test(access)) {
    throw new ConfigError(`invalid device cgroup access ${JSON.stringify(access)}`, undefined, 'linux.resources.devices');
  }
  return `${type} ${deviceNumber(rule.major)}:${deviceNumber(rule.minor)} ${access}`;
}

export function devicesV1(rules: DeviceCgroup[] | undefined): CgroupWrite[] {
  return (rules ?? []).map((rule) => ({
    file: rule.allow ? 'devices.allow' : 'devices.deny',
    value: deviceRuleLine(rule),
  }));
}
