// `ps`: the container's processes. json is the bare array of host pids; the
// table is the host's `ps` run with the given options (default -ef) and
// filtered to those pids by its PID column, found by header, as runc does.
import { execFile } from 'child_process';
import { RuntimeError } from '../errors';
import { readState } from '../state/store';
import { RuntimeContext } from './context';
import { cgroupManagerOf } from './cgroup';

/** Every pid in the container's cgroups (with exec'd processes and sub-cgroups). */
export function containerPids(ctx: RuntimeContext, id: string): number[] {
  const record = readState(ctx.root, id);
  return cgroupManagerOf(record.cgroupDirs)?.pids() ?? [];
}

/** The header line and the lines whose PID column is one of `pids`. */
export function filterPsOutput(output: string, pids: readonly number[]): string {
  const lines = output.split('\n');
  const header = lines[0] ?? '';
  const pidIndex = header.trim().split(/\s+/).indexOf('PID');
  if (pidIndex < 0) throw new RuntimeError("couldn't find PID field in ps output");
  const wanted = new Set(pids);
  const kept = lines.slice(1).filter((line) => {
    const field = line.trim().split(/\s+/)[pidIndex];
    return field !== undefined && /^\d+$/.test(field) && wanted.has(Number(field));
  });
  return [header, ...kept].join('\n') + '\n';
}

export function runPs(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ps', args.length ? [...args] : ['-ef'], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new RuntimeError(`ps: ${(stderr || err.message).trim()}`));
      else resolve(stdout);
    });
  });
}
