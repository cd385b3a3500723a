// Semantic checks of config.json's `linux` object and of the fields that
// depend on its namespaces (hostname, sysctl), after runc's
// libcontainer/configs/validate.
import * as fs from 'fs';
import * as path from 'path';
import type { Linux, NamespaceType, Spec } from './types';
import type { Fail } from './validate';
import { validateSeccomp } from '../seccomp/validate';
import { checkIdmappedMounts, checkUserNamespace } from './validate-userns';

const KNOWN_NAMESPACES: readonly NamespaceType[] = ['mount', 'pid', 'network', 'uts', 'ipc', 'user', 'cgroup', 'time'];

/** How the container gets a namespace: none (shares the runtime's), new, or joined by path. */
type NamespaceMode = 'none' | 'new' | 'joined';

export function validateLinux(config: Spec, fail: Fail): void {
  const linux = config.linux ?? {};
  const ns = checkNamespaces(linux, fail);
  checkUserNamespace(config, fail);
  checkIdmappedMounts(config, fail);
  checkUts(config, ns, fail);
  if (linux.timeOffsets && ns('time') !== 'new') {
    fail('/linux/timeOffsets', 'time namespace offsets specified, but no new time namespace is configured');
  }
  checkSysctl(linux.sysctl ?? {}, ns, linux, fail);
  checkDevices(linux, fail);
  if (linux.seccomp) validateSeccomp(linux.seccomp, fail);
  if (linux.cgroupsPath !== undefined && linux.cgroupsPath.split(/[/:]/).includes('..')) {
    fail('/linux/cgroupsPath', `cgroupsPath ${JSON.stringify(linux.cgroupsPath)} must not contain ".."`);
  }
}

function checkNamespaces(linux: Linux, fail: Fail): (type: NamespaceType) => NamespaceMode {
  const modes = new Map<NamespaceType, NamespaceMode>();
  (linux.namespaces ?? []).forEach((n, i) => {
    const field = `/linux/namespaces/${i}`;
    if (!KNOWN_NAMESPACES.includes(n.type)) fail(`${field}/type`, `namespace ${JSON.stringify(n.type)} does not exist`);
    if (modes.has(n.type)) fail(`${field}/type`, `malformed spec file: duplicated ns ${JSON.stringify(n.type)}`);
    if (n.path !== undefined && !path.posix.isAbsolute(n.path)) {
      fail(`${field}/path`, `namespace path ${JSON.stringify(n.path)} is not an absolute path`);
    }
    modes.set(n.type, n.path ? 'joined' : 'new');
  });
  // Without a mount namespace of its own, every rootfs mount would land in
  // the runtime's (the host's) mount namespace.
  if (!modes.has('mount')) fail('/linux/namespaces', 'a mount namespace is required');
  return (type) => modes.get(type) ?? 'none';
}

function checkUts(config: Spec, ns: (type: NamespaceType) => NamespaceMode, fail: Fail): void {
  if (config.hostname && ns('uts') === 'none') {
    fail('/hostname', 'unable to set hostname without a private UTS namespace');
  }
  if (config.domainname && ns('uts') === 'none') {
    fail('/domainname', 'unable to set domainname without a private UTS namespace');
  }
}

const IPC_SYSCTLS = new Set([
  'kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem',
  'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced',
]);

/**
 * sysctl(8) accepts "/" as the separator, in which case "." may appear inside
 * a component ("net/ipv4/conf/eno2.100/rp_filter"); swap them to get the
 * dotted name. Returns the name unchanged when it already uses dots.
 */
export function sysctlDottedName(key: string): string {
  const first = key.search(/[./]/);
  if (first < 0 || key[first] === '.') return key;
  return key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/**
 * The components of a sysctl key, in either form ("net.ipv4.conf.eno2/100.rp_filter"
 * or "net/ipv4/conf/eno2.100/rp_filter"): what becomes one path component
 * under /proc/sys each.
 */
export function sysctlComponents(key: string): string[] {
  return sysctlDottedName(key).split('.').map((c) => c.replace(/\//g, '.'));
}

/**
 * Why a key cannot name a file under /proc/sys, or undefined. Every
 * component must be a plain file name: an empty, "." or ".." one would
 * walk out of the namespaced subtree (to /proc/sys/kernel/core_pattern,
 * or out of /proc/sys altogether) while looking like an allowed prefix.
 */
export function sysctlKeyProblem(key: string): string | undefined {
  const bad = sysctlComponents(key).find((c) => c === '' || c === '.' || c === '..');
  if (bad === undefined) return undefined;
  const what = bad === '' ? 'an empty component' : `a ${JSON.stringify(bad)} component`;
  return `sysctl ${JSON.stringify(key)} is not a valid sysctl name: it has ${what}`;
}

export function isHostNetns(nsPath: string): boolean {
  try {
    const a = fs.statSync('/proc/self/ns/net');
    const b = fs.statSync(nsPath);
    return a.dev === b.dev && a.ino === b.ino;
  } catch {
    return false;
  }
}

// /proc/sys is only partly namespaced: a sysctl is allowed only when the
// namespace that scopes it is the container's own.
function checkSysctl(sysctl: Record<string, string>, ns: (t: NamespaceType) => NamespaceMode, linux: Linux,
  fail: Fail): void {
  for (const key of Object.keys(sysctl)) {
    const name = sysctlDottedName(key);
    const field = `/linux/sysctl/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const problem = sysctlKeyProblem(key);
    if (problem) fail(field, problem);
    if (IPC_SYSCTLS.has(name) || name.startsWith('fs.mqueue.')) {
      if (ns('ipc') === 'none') fail(field, `sysctl ${JSON.stringify(name)} is not allowed in the hosts ipc namespace`);
      continue;
    }
    if (name.startsWith('net.')) {
      const netPath = (linux.namespaces ?? []).find((n) => n.type === 'network')?.path;
      if (ns('network') === 'none' || (netPath && isHostNetns(netPath))) {
        fail(field, `sysctl ${JSON.stringify(name)} not allowed in host network namespace`);
      }
      continue;
    }
    if (ns('uts') !== 'none' && name === 'kernel.domainname') continue;
    if (ns('uts') !== 'none' && name === 'kernel.hostname') {
      fail(field, `sysctl ${JSON.stringify(name)} is not allowed as it conflicts with the OCI "hostname" field`);
    }
    fail(field, `sysctl ${JSON.stringify(name)} is not in a separate kernel namespace`);
  }
}

function checkDevices(linux: Linux, fail: Fail): void {
  (linux.devices ?? []).forEach((d, i) => {
    const field = `/linux/devices/${i}`;
    if (!['c', 'b', 'u', 'p'].includes(d.type)) fail(`${field}/type`, `invalid device type ${JSON.stringify(d.type)}`);
    if (!path.posix.isAbsolute(d.path)) fail(`${field}/path`, `device path ${JSON.stringify(d.path)} is not an absolute path`);
    if (d.type !== 'p' && (d.major === undefined || d.minor === undefined)) {
      fail(field, `device ${d.path}: major and minor numbers are required for type ${JSON.stringify(d.type)}`);
    }
  });
}
