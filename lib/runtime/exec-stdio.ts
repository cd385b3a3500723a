// The library's exec stdio: for each of fds 0-2, the caller's own
// ('inherit'), /dev/null ('ignore'), a given fd, or a fresh pipe whose other
// end becomes a net.Socket here (libuv reads and writes it on the event
// loop: no thread is held, however many execs run at once).
import * as fs from 'fs';
import * as net from 'net';
import { ConfigError } from '../errors';
import { native } from '../native';
import type { StdioChoice } from '../exec-process';

export interface PreparedStdio {
  /** What spawn puts at the process's fds 0-2 (-1 = the caller's own). */
  childFds: number[];
  /** Our ends of the pipes, made into streams once the process runs. */
  parentFds: (number | null)[];
  /** Closes the child's ends (after spawn) and, on failure, ours too. */
  closeChildEnds(): void;
  closeAll(): void;
}

export function normalizeStdio(stdio: StdioChoice | StdioChoice[] | undefined): StdioChoice[] {
  const list = Array.isArray(stdio) ? stdio : [stdio ?? 'inherit', stdio ?? 'inherit', stdio ?? 'inherit'];
  if (list.length !== 3) throw new ConfigError('exec stdio: give one choice or three (for fds 0, 1, 2)', undefined, 'stdio');
  for (const c of list) {
    const ok = c === 'pipe' || c === 'inherit' || c === 'ignore' || (typeof c === 'number' && Number.isInteger(c) && c >= 0);
    if (!ok) throw new ConfigError(`exec stdio: ${JSON.stringify(c)} is not 'pipe', 'inherit', 'ignore' or an fd`, undefined, 'stdio');
  }
  return list;
}

export function prepareStdio(choices: StdioChoice[]): PreparedStdio {
  const childFds: number[] = [];
  const parentFds: (number | null)[] = [];
  const childOwned: number[] = [];
  const close = (fds: (number | null)[]) => fds.forEach((fd) => fd !== null && fd >= 0 && native().close(fd));
  const prepared: PreparedStdio = {
    childFds,
    parentFds,
    closeChildEnds: () => close(childOwned.splice(0)),
    closeAll: () => {
      prepared.closeChildEnds();
      close(parentFds.splice(0));
    },
  };
  try {
    choices.forEach((c, fd) => {
      if (c === 'inherit') childFds.push(-1);
      else if (typeof c === 'number') childFds.push(c);
      else if (c === 'ignore') {
        const devNull = fs.openSync('/dev/null', fd === 0 ? 'r' : 'w');
        childOwned.push(devNull);
        childFds.push(devNull);
      } else {
        const [r, w] = native().pipe();
        const [mine, theirs] = fd === 0 ? [w, r] : [r, w];
        childOwned.push(theirs);
        childFds.push(theirs);
        parentFds[fd] = mine;
      }
      if (parentFds.length <= fd) parentFds[fd] = null;
    });
  } catch (e) {
    prepared.closeAll();
    throw e;
  }
  return prepared;
}

/** Our pipe ends as streams: stdin writable, stdout and stderr readable. */
export function pipeStreams(parentFds: (number | null)[]): (net.Socket | null)[] {
  return parentFds.map((fd, i) => (fd === null ? null : new net.Socket({ fd, readable: i !== 0, writable: i === 0 })));
}
