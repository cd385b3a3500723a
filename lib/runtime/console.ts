// Where a container's pty master and its init's pidfd go: to the console
// and pidfd sockets an engine names (runc's --console-socket and
// --pidfd-socket), or to the caller itself (a foreground `run` with a
// terminal, the library's terminal stream).
//
// The helper sends the master to us over the sync socket (FRAME_CONSOLE)
// and we forward it: the helper never reaches a host socket path (it has
// pivoted by then) and holds no host descriptor the container could get.
import { ContainerSystemError, RuntimeError } from '../errors';
import { native } from '../native';

export interface TerminalOptions {
  /** A unix socket that receives the pty master (one SCM_RIGHTS message). */
  consoleSocket?: string;
  /** A unix socket that receives a pidfd of the container's process. */
  pidfdSocket?: string;
  /**
   * The caller takes the pty master itself (a foreground `run`, the
   * library) instead of detaching: it must not name a console socket then.
   */
  keepConsole?: boolean;
}

/** runc's checkTerminal, with its phrases (engines and users know them). */
export function checkTerminal(terminal: boolean, opts: TerminalOptions): void {
  const detach = !opts.keepConsole;
  if (detach && terminal && !opts.consoleSocket) {
    throw new RuntimeError('cannot allocate tty if ts-oci will detach without setting console socket');
  }
  if ((!detach || !terminal) && opts.consoleSocket) {
    throw new RuntimeError('cannot use console socket if ts-oci will not detach or allocate tty');
  }
}

/** The pty master as the helper sent it. */
export interface ConsoleMaster {
  fd: number;
  /** The peer's name inside the container ("/dev/pts/0"). */
  name: string;
}

function connect(socketPath: string, what: string): number {
  try {
    return native().connectUnix(socketPath);
  } catch (e) {
    const f = e as ContainerSystemError;
    throw new ContainerSystemError({ code: f.code, errno: f.errno, syscall: 'connect', path: socketPath, step: `connect to ${what} ${socketPath}` });
  }
}

/**
 * The receiving ends of one create (or exec): sockets are connected up
 * front, so a wrong path fails before anything exists, and everything is
 * closed by close() whatever happened in between.
 */
export class ProcessHandoff {
  private consoleSock = -1;
  private pidfdSock = -1;
  /** The master, when the caller keeps it (keepConsole); theirs after take(). */
  private master?: ConsoleMaster;

  constructor(private readonly opts: TerminalOptions) {
    if (opts.consoleSocket) this.consoleSock = connect(opts.consoleSocket, 'console socket');
    try {
      if (opts.pidfdSocket) this.pidfdSock = connect(opts.pidfdSocket, 'pidfd socket');
    } catch (e) {
      this.close();
      throw e;
    }
  }

  /** FRAME_CONSOLE: forward the master at once (before create returns, as engines expect) or keep it. */
  receiveConsole(fd: number, name: string): void {
    if (this.consoleSock >= 0) {
      try {
        // runc's payload: the pty's name (non-empty: SOCK_STREAM drops an fd sent with no data).
        native().sendFd(this.consoleSock, fd, Buffer.from(name || 'console'));
      } finally {
        native().close(fd);
      }
      return;
    }
    if (!this.opts.keepConsole || this.master) {
      native().close(fd);
      throw new ContainerSystemError({ code: 'EPROTO', detail: 'unexpected pty master from init' });
    }
    this.master = { fd, name };
  }

  /** Sends a pidfd of the container's process; runc's payload names the init type. */
  sendPidfd(pidfd: number, initType: 'standard' | 'setns'): void {
    if (this.pidfdSock >= 0) native().sendFd(this.pidfdSock, pidfd, Buffer.from(initType));
  }

  /** Hands the kept master to the caller, who closes it from now on. */
  take(): ConsoleMaster | undefined {
    const m = this.master;
    this.master = undefined;
    return m;
  }

  close(): void {
    for (const fd of [this.consoleSock, this.pidfdSock, this.master?.fd ?? -1]) if (fd >= 0) native().close(fd);
    this.consoleSock = this.pidfdSock = -1;
    this.master = undefined;
  }
}
