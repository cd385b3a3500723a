// --preserve-fds N hands fds 3..3+N-1 of this process to the container.
// Node opens its own fds (epoll, eventfds, pipes) at the lowest free numbers
// before any JS runs, so a number the caller did not pass may hold one of
// node's: handing that on would leak the runtime's internals to the
// container. So the check is an allow-list of what the caller passed: bin/ts-oci
// records the descriptors it inherited before node starts
// (TS_OCI_CALLER_FDS); a library caller names them (`passedFds`). A slot
// that is not open is refused too (runc checks that as well).
import * as fs from 'fs';
import { ConfigError } from '../errors';

/** The fds bin/ts-oci saw inherited, without close-on-exec, before node started; undefined if not run through it. */
export function callerFdsFromEnv(env: NodeJS.ProcessEnv = process.env): number[] | undefined {
  const raw = env.TS_OCI_CALLER_FDS;
  if (raw === undefined) return undefined;
  return raw.split(/\s+/).filter((s) => /^\d+$/.test(s)).map(Number);
}

/** Why fd cannot be passed on, or undefined when it can. `link` is its /proc/self/fd target. */
export function preservedFdProblem(fd: number, link: string | undefined, passed: readonly number[] | undefined): string | undefined {
  if (link === undefined) return `--preserve-fds: fd ${fd} is not open`;
  if (passed === undefined) {
    return `--preserve-fds: fd ${fd}: which descriptors the caller passed is unknown (bin/ts-oci records them; the library takes passedFds)`;
  }
  if (!passed.includes(fd)) return `--preserve-fds: fd ${fd} (${link}) was not passed by the caller`;
  return undefined;
}

export function checkPreservedFds(count: number, passed: readonly number[] | undefined,
  readLink: (fd: number) => string | undefined = procFdLink): void {
  for (let fd = 3; fd < 3 + count; fd++) {
    const problem = preservedFdProblem(fd, readLink(fd), passed);
    if (problem) throw new ConfigError(problem, undefined, 'preserve-fds');
  }
}

function procFdLink(fd: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}
