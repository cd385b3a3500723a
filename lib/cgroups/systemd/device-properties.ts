// Device rules as DevicePolicy/DeviceAllow, as runc's devices/systemd.go
// builds them. systemd only has allow lists ("strict": deny the rest), so
// the rules are first evaluated in order (deny-all at the start, as the
// device filter does) into a final allow list or a deny list. A deny list
// that is not "allow everything" cannot be said to systemd: it gets
// deny-all (runc's "temporary deny-all"), and the precise rules are the
// cgroupfs ones written after it (v1 devices.*, the cgroup2 program).
import * as fs from 'fs';
import type { DeviceCgroup } from '../../spec/types';
import { str, UnitProperty } from './unit-property';

interface Rule {
  type: 'b' | 'c';
  major?: number;
  minor?: number;
  access: Set<string>;
}

const key = (r: Rule): string => `${r.type} ${r.major ?? '*'}:${r.minor ?? '*'}`;
const wildcard = (n: number | undefined): boolean => n === undefined || n === null || n === -1;

function accessOf(rule: DeviceCgroup): Set<string> {
  return new Set([...(rule.access || 'rwm')].filter((c) => 'rwm'.includes(c)));
}

/** The final state: allow-all (deny list empty), or an allow list. */
function evaluate(rules: readonly DeviceCgroup[]): { allowAll: boolean; denyList: boolean; allowed: Rule[] } {
  let denyList = false;
  let entries = new Map<string, Rule>();
  for (const rule of rules) {
    const type = rule.type ?? 'a';
    if (type === 'a') {
      // "a" resets the whole list, whatever its numbers (the kernel's rule too).
      denyList = rule.allow;
      entries = new Map();
      continue;
    }
    if (type !== 'b' && type !== 'c') continue;
    const r: Rule = { type, major: wildcard(rule.major) ? undefined : rule.major, minor: wildcard(rule.minor) ? undefined : rule.minor, access: accessOf(rule) };
    const adds = rule.allow !== denyList;
    const old = entries.get(key(r));
    if (adds) {
      entries.set(key(r), { ...r, access: new Set([...(old?.access ?? []), ...r.access]) });
    } else if (old) {
      for (const a of r.access) old.access.delete(a);
      if (old.access.size === 0) entries.delete(key(r));
    }
  }
  const list = [...entries.values()].filter((r) => r.access.size > 0);
  return { allowAll: denyList && list.length === 0, denyList, allowed: denyList ? [] : list };
}

/** /proc/devices: the driver name of a char or block major ("char-pts"), for a wildcard-minor rule. */
export function deviceGroup(type: 'b' | 'c', major: number, procDevices: string): string | undefined {
  let section: 'b' | 'c' | undefined;
  for (const line of procDevices.split('\n')) {
    if (line.startsWith('Character devices:')) section = 'c';
    else if (line.startsWith('Block devices:')) section = 'b';
    else if (section === type) {
      const m = /^\s*(\d+)\s+(\S+)\s*$/.exec(line);
      if (m && Number(m[1]) === major) return `${type === 'b' ? 'block' : 'char'}-${m[2]}`;
    }
  }
  return undefined;
}

function readProcDevices(): string {
  try {
    return fs.readFileSync('/proc/devices', 'utf8');
  } catch {
    return '';
  }
}

/**
 * DeviceAllow entries (path, "rwm"). An empty DeviceAllow first clears
 * what an existing unit had (update). A rule systemd cannot name (a
 * wildcard major with a fixed minor, a major not in /proc/devices) is left
 * out: narrower than asked, never wider; the cgroupfs rules still allow it.
 */
export function deviceProperties(rules: readonly DeviceCgroup[] | undefined, procDevices: () => string = readProcDevices): UnitProperty[] {
  if (!rules) return [];
  const clear: UnitProperty = { name: 'DeviceAllow', signature: 'a(ss)', value: [] };
  const state = evaluate(rules);
  if (state.allowAll) return [str('DevicePolicy', 'auto'), clear];
  const entries: [string, string][] = [];
  let devices: string | undefined;
  for (const r of state.allowed) {
    const perms = ['r', 'w', 'm'].filter((c) => r.access.has(c)).join('');
    let p: string | undefined;
    if (r.major === undefined) p = r.minor === undefined ? `${r.type === 'b' ? 'block' : 'char'}-*` : undefined;
    else if (r.minor === undefined) p = deviceGroup(r.type, r.major, (devices ??= procDevices()));
    else p = `/dev/${r.type === 'b' ? 'block' : 'char'}/${r.major}:${r.minor}`;
    if (p) entries.push([p, perms]);
  }
  return [clear, str('DevicePolicy', 'strict'), { name: 'DeviceAllow', signature: 'a(ss)', value: entries }];
}
