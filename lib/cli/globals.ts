// The global flags, defined once: program.ts gives them to commander, and
// the quick commands (quick.ts) parse the same table without it.
import { RuntimeError } from '../errors';
import { DEFAULT_ROOT, defaultRoot } from '../runtime/context';

export interface GlobalOptions {
  root: string;
  log?: string;
  logFormat: 'text' | 'json';
  debug?: boolean;
  systemdCgroup?: boolean;
  cgroupManager?: string;
}

export interface GlobalFlag {
  /** commander's spelling: `--long <value>` for a flag that takes one. */
  flags: string;
  description: string;
  defaultValue?: () => string;
  /** What help says of the default, where it depends on who runs ts-oci (help is the same for all: quick.ts prints it as built). */
  defaultDescription?: string;
}

export const GLOBAL_FLAGS: readonly GlobalFlag[] = [
  {
    flags: '--root <dir>',
    description: 'root directory for container state',
    defaultValue: () => defaultRoot(),
    defaultDescription: `${DEFAULT_ROOT}; $XDG_RUNTIME_DIR/ts-oci for an ordinary user`,
  },
  { flags: '--log <file>', description: 'write errors and debug output to this file' },
  { flags: '--log-format <format>', description: 'log format: text or json', defaultValue: () => 'text' },
  { flags: '--debug', description: 'print debug lines to stderr (to --log instead when given)' },
  { flags: '--systemd-cgroup', description: 'make the container\'s cgroup a transient systemd scope (cgroupsPath slice:prefix:name)' },
  { flags: '--rootless <value>', description: 'ignored; accepted for runc compatibility' },
  { flags: '--cgroup-manager <manager>', description: 'cgroupfs (default) or systemd (the same as --systemd-cgroup)' },
];

export function checkGlobals(g: GlobalOptions): void {
  if (g.logFormat !== 'text' && g.logFormat !== 'json') {
    throw new RuntimeError(`invalid --log-format ${JSON.stringify(g.logFormat)}: use text or json`);
  }
  if (g.cgroupManager !== undefined && g.cgroupManager !== 'cgroupfs' && g.cgroupManager !== 'systemd') {
    throw new RuntimeError(`invalid --cgroup-manager ${JSON.stringify(g.cgroupManager)}: use cgroupfs or systemd`);
  }
  if (g.systemdCgroup && g.cgroupManager === 'cgroupfs') {
    throw new RuntimeError('--systemd-cgroup contradicts --cgroup-manager cgroupfs');
  }
}
