// A foreground `run` (and `exec -t`) with a terminal and no console socket:
// ts-oci relays its own terminal to the container's pty, as runc does.
// Our stdin goes raw (the container's pty does the line discipline), bytes
// are copied both ways, SIGWINCH resizes the pty to our window, and our
// terminal mode is put back on every way out: normal return, error, and
// process exit (a signal that kills us first is the one exception nobody
// can handle).
import type { ReadStream, WriteStream } from 'tty';
import type { TerminalStream } from './terminal-stream';

export interface RelayIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export class TerminalRelay {
  private rawSet = false;
  private readonly ended: Promise<void>;
  private readonly onWinch = (): void => this.resize();
  private readonly onExit = (): void => this.restore();

  constructor(
    private readonly pty: TerminalStream,
    private readonly io: RelayIo = { stdin: process.stdin, stdout: process.stdout },
  ) {
    this.ended = new Promise((resolve) => pty.once('close', () => resolve()));
    // Input after the container hung up has nowhere to go: not an error of ours.
    pty.on('error', () => undefined);
  }

  start(): void {
    const { stdin, stdout } = this.io;
    if (stdin.isTTY) {
      process.on('exit', this.onExit);
      (stdin as ReadStream).setRawMode(true);
      this.rawSet = true;
    }
    this.resize();
    process.on('SIGWINCH', this.onWinch);
    // Our stdin ending (a pipe, /dev/null) does not hang up the container's terminal.
    stdin.pipe(this.pty, { end: false });
    this.pty.pipe(stdout, { end: false });
  }

  /** Resolves once the container's side hung up and all its output was written to ours. */
  drained(): Promise<void> {
    return this.ended;
  }

  /**
   * exec: once the process exited, what the pty holds now is all we wait
   * for; something it left in the background may keep the pty open (runc
   * drains and closes its console the same way).
   */
  drainedOrQuiet(): Promise<void> {
    const idle = new Promise<void>((resolve) => this.pty.once('idle', () => setImmediate(resolve)));
    this.pty.flushAvailable();
    return Promise.race([this.ended, idle]);
  }

  /** Stops copying and puts our terminal back as it was; safe to call more than once. */
  stop(): void {
    process.off('SIGWINCH', this.onWinch);
    this.io.stdin.unpipe(this.pty);
    this.io.stdin.pause();
    this.pty.unpipe(this.io.stdout);
    this.pty.destroy();
    this.restore();
  }

  private restore(): void {
    if (!this.rawSet) return;
    this.rawSet = false;
    process.off('exit', this.onExit);
    (this.io.stdin as ReadStream).setRawMode(false);
  }

  private resize(): void {
    const out = this.io.stdout as WriteStream;
    if (!out.isTTY) return;
    const [cols, rows] = out.getWindowSize();
    try {
      this.pty.resize(cols, rows);
    } catch {
      // The container already hung up: nothing left to size.
    }
  }
}
