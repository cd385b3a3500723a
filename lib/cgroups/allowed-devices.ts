// The device rules a container gets beyond its config, as runc's specconv
// adds them: mknod of anything, the default devices every container has
// (config-linux.md "Default Devices"), the pty devices, and each device the
// config asks to be created. Without them a config whose rules start with
// deny-all could not even open its own /dev/null.
import type { Device, DeviceCgroup, Resources } from '../spec/types';

const allow = (type: string, major: number | undefined, minor: number | undefined, access: string): DeviceCgroup => ({
  allow: true,
  type,
  major,
  minor,
  access,
});

export const DEFAULT_ALLOWED_DEVICES: readonly DeviceCgroup[] = [
  allow('c', undefined, undefined, 'm'),
  allow('b', undefined, undefined, 'm'),
  allow('c', 1, 3, 'rwm'), // null
  allow('c', 1, 8, 'rwm'), // random
  allow('c', 1, 7, 'rwm'), // full
  allow('c', 5, 0, 'rwm'), // tty
  allow('c', 1, 5, 'rwm'), // zero
  allow('c', 1, 9, 'rwm'), // urandom
  allow('c', 136, undefined, 'rwm'), // /dev/pts/*
  allow('c', 5, 2, 'rwm'), // ptmx
];

/** linux.resources with the device allow-list completed; other fields untouched. */
export function withAllowedDevices(resources: Resources | undefined, devices: Device[] | undefined): Resources {
  const fromConfig = (devices ?? [])
    .filter((d) => d.type !== 'p')
    .map((d) => allow(d.type === 'u' ? 'c' : d.type, d.major, d.minor, 'rwm'));
  return {
    ...(resources ?? {}),
    devices: [...(resources?.devices ?? []), ...DEFAULT_ALLOWED_DEVICES, ...fromConfig],
  };
}
