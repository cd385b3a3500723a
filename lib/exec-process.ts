// The library's handle on an exec'd process: our child, so wait() gets its
// exit status through its pidfd (a libuv poll, no thread, no polling loop)
// and kill() signals exactly it, never a process that reused its pid.
import type { Signal } from './signal-names';
import type { Process } from './spec/types';
import type { ContainerTerminal } from './terminal-types';

/** What exec runs: any process fields over the container's; `args` is required, `env` entries are added. */
export type ExecProcessInput = Partial<Process> & { args: string[] };

/** One of the process's fds 0-2: the caller's own, /dev/null, a new pipe, or a given fd of ours. */
export type StdioChoice = 'pipe' | 'inherit' | 'ignore' | number;

export interface ExecOptions {
  /** One choice for fds 0-2, or three (default 'inherit', like the container's init). */
  stdio?: StdioChoice | StdioChoice[];
  /**
   * A terminal (pty) as the process's stdio and controlling terminal
   * (process.terminal); `ExecProcess.terminal` is its master, unless
   * consoleSocket sends it there. `stdio` must not be given with it.
   */
  terminal?: boolean;
  /** With a terminal: a unix socket that receives the pty master (as --console-socket). */
  consoleSocket?: string;
  /** A unix socket that receives a pidfd of the process (as --pidfd-socket). */
  pidfdSocket?: string;
  /** Do not keep Node running for the process (it is still reaped while Node runs). */
  detach?: boolean;
  /** Allow exec in a paused container. */
  ignorePaused?: boolean;
  /** runc 1.2 --cgroup: existing sub-cgroup(s) of the container, `[<controller>:]<path>`. */
  cgroup?: string | string[];
  /** Fds 3 .. 3+preserveFds-1 of this process are passed on. */
  preserveFds?: number;
  /** The descriptors this process received from its caller: preserveFds may hand on only these. */
  passedFds?: readonly number[];
}

/**
 * The process's stdout or stderr pipe. At run time it is a Node
 * `stream.Readable` (a net.Socket); the declarations name the common
 * methods only, so they compile without @types/node.
 */
export interface ProcessOutput {
  on(event: 'data', listener: (chunk: Uint8Array) => void): this;
  on(event: 'end' | 'close', listener: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  setEncoding(encoding: string): this;
  pipe<T>(destination: T, options?: { end?: boolean }): T;
  destroy(): void;
}

/** The process's stdin pipe: a Node `stream.Writable` (a net.Socket) at run time. */
export interface ProcessInput {
  write(chunk: string | Uint8Array, callback?: (err?: Error | null) => void): boolean;
  end(chunk?: string | Uint8Array, callback?: () => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'drain' | 'finish' | 'close', listener: () => void): this;
  destroy(): void;
}

interface Streams {
  stdin: ProcessInput | null;
  stdout: ProcessOutput | null;
  stderr: ProcessOutput | null;
  terminal?: ContainerTerminal | null;
}

export class ExecProcess {
  /** The process's pid on the host. */
  readonly pid: number;
  /** Pipes, when exec was given `stdio: 'pipe'` for that fd; else null. */
  readonly stdin: ProcessInput | null;
  readonly stdout: ProcessOutput | null;
  readonly stderr: ProcessOutput | null;
  /**
   * With `terminal: true` (and no consoleSocket): the process's pty master,
   * a Duplex stream with resize(cols, rows), as Container.terminal. One
   * nobody reads is closed when the process exits; else it ends once the
   * pty's last holder closed it.
   */
  readonly terminal: ContainerTerminal | null;
  private pidfd: number;
  private readonly exit: Promise<number>;

  /** Made by Container.exec(). */
  constructor(pid: number, pidfd: number, streams: Streams, keepAlive: boolean) {
    this.pid = pid;
    this.pidfd = pidfd;
    this.stdin = streams.stdin;
    this.stdout = streams.stdout;
    this.stderr = streams.stderr;
    this.terminal = streams.terminal ?? null;
    // Watched from the start, so it is reaped when it exits even if nobody
    // waits; `keepAlive: false` (detach) does not keep Node running for it.
    const { waitForExit, closePidfd } = require('./runtime/destroy') as typeof import('./runtime/destroy');
    this.exit = waitForExit(pidfd, keepAlive).then((s) => {
      closePidfd(pidfd);
      this.pidfd = -1;
      // Nobody reads stdin any more: do not hold the pipe open for ever.
      this.stdin?.destroy();
      // An unread terminal: nothing would ever close our master.
      const t = this.terminal as (ContainerTerminal & { readableFlowing?: boolean | null }) | null;
      if (t && !t.readableFlowing) t.destroy();
      return s ? s.status : 0;
    });
  }

  /** Resolves with the exit status (128+signal when killed by one). */
  wait(): Promise<number> {
    return this.exit;
  }

  /** Sends a signal (default SIGTERM); false when the process has already exited. */
  kill(signal: Signal = 'SIGTERM'): boolean {
    if (this.pidfd < 0) return false;
    const { parseSignal } = require('./signals') as typeof import('./signals');
    const { native } = require('./native') as typeof import('./native');
    try {
      native().pidfdSendSignal(this.pidfd, parseSignal(String(signal)));
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === 'ESRCH') return false;
      throw e;
    }
  }
}
