// --preserve-fds N hands fds 3..3+N-1 to the container. Node opens its own
// fds at the lowest free numbers before any JS runs, so a number the caller
// did not pass may hold one of node's (libuv's epoll, eventfds): handing that
// to the container would leak the runtime's internals (security.md 2.2).
// Such kernel objects are never what an engine means to pass: refuse them,
// and refuse numbers that are not open at all (runc checks that too).
import * as fs from 'fs';
import { ConfigError } from '../errors';

const RUNTIME_INTERNAL = /^anon_inode:(\[(eventpoll|eventfd|signalfd|timerfd|io_uring|pidfd)\]|inotify)$/;

/** Why fd cannot be passed on, or undefined when it can. `link` is its /proc/self/fd target. */
export function preservedFdProblem(fd: number, link: string | undefined): string | undefined {
  if (link === undefined) return `--preserve-fds: fd ${fd} is not open`;
  if (RUNTIME_INTERNAL.test(link)) return `--preserve-fds: fd ${fd} (${link}) was not passed by the caller`;
  return undefined;
}

export function checkPreservedFds(count: number, readLink: (fd: number) => string | undefined = procFdLink): void {
  for (let fd = 3; fd < 3 + count; fd++) {
    const problem = preservedFdProblem(fd, readLink(fd));
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
