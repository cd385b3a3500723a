// `features` (spec features.md): what this build really supports, no more.
// Items arrive here as their issues land (user namespaces, seccomp, ...).
import { knownMountOptions } from '../plan/mount-options';
import { seccompFeatures } from '../seccomp/features';


export function features() {
  return {
    ociVersionMin: '1.0.0',
    ociVersionMax: '1.3.0',
    hooks: ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'],
    mountOptions: knownMountOptions(),
    linux: {
      namespaces: ['cgroup', 'ipc', 'mount', 'network', 'pid', 'time', 'user', 'uts'],
      capabilities: capabilityNames(),
      cgroup: { v1: true, v2: true, systemd: true, systemdUser: false, rdma: true },
      // Support in this build (the spec: unrelated to whether the host has the LSM);
      // a profile or label on a host without it is refused at create.
      apparmor: { enabled: true },
      selinux: { enabled: true },
      intelRdt: { enabled: false },
      // open_tree + mount_setattr(MOUNT_ATTR_IDMAP): every bind already needs
      // mount_setattr (Linux 5.12), the version that brought idmapped mounts.
      mountExtensions: { idmap: { enabled: true } },
      netDevices: { enabled: true },
      seccomp: seccompFeatures(),
    },
    annotations: { 'org.opencontainers.ts-oci.version': version() },
  };
}

function capabilityNames(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { CAPABILITIES } = require('../spec/capabilities') as { CAPABILITIES: Record<string, number> };
  return Object.keys(CAPABILITIES);
}

function version(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('../../package.json') as { version: string }).version;
}
