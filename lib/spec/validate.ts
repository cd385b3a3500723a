// Semantic checks of a schema-valid config.json that the JSON schema cannot
// express, with runc's rules and phrases where runc has them. The first
// problem found throws a ConfigError naming the file and the field.
import * as fs from 'fs';
import * as path from 'path';
import type { Hooks, Mount, Process, Spec } from './types';
import { fieldError } from './field-error';
import { isKnownCapability } from './capabilities';
import { isKnownRlimit } from './rlimits';
import { validateLinux } from './validate-linux';
import { checkUserIds } from './user-ids';
import { parseMountOptions } from '../plan/mount-options';
import { mountProblem } from '../plan/mounts';

export interface ValidationTarget {
  /** Absolute bundle directory: relative root.path and bind sources resolve against it. */
  bundle: string;
  /** The file named in error messages. */
  configPath: string;
}

export type Fail = (field: string, message: string) => never;

export function validateConfig(config: Spec, target: ValidationTarget): void {
  const fail: Fail = (field, message) => {
    throw fieldError(target.configPath, field, message);
  };
  checkVersion(config.ociVersion, fail);
  checkRoot(config, target.bundle, fail);
  if (config.process) checkProcess(config.process, fail);
  checkMounts(config.mounts ?? [], fail);
  if (config.hooks) checkHooks(config.hooks, fail);
  validateLinux(config, fail);
}

function checkVersion(version: string, fail: Fail): void {
  const major = /^(\d+)\.\d+\.\d+/.exec(version);
  if (!major) fail('/ociVersion', `invalid version ${JSON.stringify(version)}: not SemVer`);
  if (major[1] !== '1') fail('/ociVersion', `unsupported version ${JSON.stringify(version)}: major version must be 1`);
}

function checkRoot(config: Spec, bundle: string, fail: Fail): void {
  if (!config.root) fail('/root', 'root must be specified');
  const rootfs = path.resolve(bundle, config.root.path);
  let st: fs.Stats;
  try {
    st = fs.statSync(rootfs);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    fail('/root/path', code === 'ENOENT' ? `${rootfs}: no such directory` : `${rootfs}: ${code ?? String(e)}`);
  }
  if (!st.isDirectory()) fail('/root/path', `${rootfs}: not a directory`);
}

export function checkProcess(p: Process, fail: Fail): void {
  if (!p.args || p.args.length === 0) fail('/process/args', 'args must not be empty');
  if (!path.posix.isAbsolute(p.cwd)) fail('/process/cwd', `cwd ${JSON.stringify(p.cwd)} must be an absolute path`);
  checkUserIds(p.user, fail);
  // Only the five sets are schema-checked; other keys are someone else's extension.
  for (const set of ['bounding', 'effective', 'inheritable', 'permitted', 'ambient'] as const) {
    (p.capabilities?.[set] ?? []).forEach((name, i) => {
      if (!isKnownCapability(name)) {
        fail(`/process/capabilities/${set}/${i}`, `unknown capability ${JSON.stringify(name)}`);
      }
    });
  }
  const seen = new Set<string>();
  (p.rlimits ?? []).forEach((r, i) => {
    const field = `/process/rlimits/${i}`;
    if (!isKnownRlimit(r.type)) fail(`${field}/type`, `unknown rlimit type ${JSON.stringify(r.type)}`);
    if (seen.has(r.type)) fail(`${field}/type`, `duplicate rlimit type ${JSON.stringify(r.type)}`);
    seen.add(r.type);
    if (r.soft > r.hard) fail(field, `${r.type}: soft limit ${r.soft} is greater than hard limit ${r.hard}`);
  });
  const adj = p.oomScoreAdj;
  if (adj !== undefined && (adj < -1000 || adj > 1000)) {
    fail('/process/oomScoreAdj', `${adj} is outside the range -1000..1000`);
  }
}

function checkMounts(mounts: Mount[], fail: Fail): void {
  mounts.forEach((m, i) => {
    // runc still accepts a relative destination with a warning; spec 1.3
    // requires an absolute one, and a relative path is ambiguous in-root.
    if (!path.posix.isAbsolute(m.destination)) {
      fail(`/mounts/${i}/destination`, `mount destination ${JSON.stringify(m.destination)} is not an absolute path`);
    }
    const problem = mountProblem(m, parseMountOptions(m.options));
    if (problem) fail(`/mounts/${i}`, problem);
  });
}

function checkHooks(hooks: Hooks, fail: Fail): void {
  for (const kind of ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'] as const) {
    (hooks[kind] ?? []).forEach((h, i) => {
      if (!path.posix.isAbsolute(h.path)) {
        fail(`/hooks/${kind}/${i}/path`, `hook path ${JSON.stringify(h.path)} is not an absolute path`);
      }
    });
  }
}
