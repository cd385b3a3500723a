// A container's pty master as a Duplex stream: what the library hands out
// as `container.terminal`, and what `run -t` relays.
//
// Not a tty.ReadStream: libuv's stream treats POLLHUP after any short read
// as the end, and a pty whose last writer exited is hung up while it still
// holds that writer's output (it hands it out in reads of at most 4095
// bytes), so the tail of a container's output would be lost. Instead the
// master is non-blocking, read and written with plain syscalls, and the
// addon's watchFd wakes us when it is readable or writable: the event
// loop never blocks, and the stream ends at the kernel's EIO, after the
// last byte.
import * as fs from 'fs';
import { Duplex } from 'stream';
import { native } from '../native';
import type { ConsoleMaster } from './console';
import type { ContainerTerminal } from '../terminal-types';

const CHUNK = 64 * 1024;

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

export class TerminalStream extends Duplex implements ContainerTerminal {
  /** The terminal's name inside the container ("/dev/pts/0"). */
  readonly ptyName: string;
  private fd: number;
  private readWatch = 0;
  private writeWatch = 0;

  /** Takes ownership of the master: the stream closes it. */
  constructor(master: ConsoleMaster) {
    // The container hanging up ends both directions.
    super({ allowHalfOpen: false });
    this.fd = master.fd;
    this.ptyName = master.name;
    try {
      native().ptyMaster(this.fd);
    } catch (e) {
      native().close(this.fd);
      this.fd = -1;
      throw e;
    }
  }

  /** Sets the window size the container's processes see (they get SIGWINCH). */
  resize(cols: number, rows: number): void {
    if (this.fd < 0) throw new Error('the terminal is closed');
    native().ptySetSize(this.fd, cols, rows);
  }

  override _read(): void {
    if (this.readWatch || this.fd < 0) return;
    for (;;) {
      const buf = Buffer.allocUnsafe(CHUNK);
      let n: number;
      try {
        n = fs.readSync(this.fd, buf, 0, CHUNK, null);
      } catch (e) {
        const code = errorCode(e);
        if (code === 'EAGAIN') {
          // Everything buffered so far is read (flushAvailable waits for this).
          this.emit('idle');
          this.readWatch = this.watch(false, () => this._read());
        }
        else if (code === 'EIO') this.push(null); // every writer closed the peer, and all was read
        else this.destroy(e as Error);
        return;
      }
      if (n === 0) {
        this.push(null);
        return;
      }
      if (!this.push(buf.subarray(0, n))) return;
    }
  }

  /**
   * Reads what the pty holds now instead of waiting to be woken; 'idle'
   * follows once nothing more is buffered. For exec -t: the process exited,
   * but what it left in the background may keep the pty open.
   */
  flushAvailable(): void {
    if (!this.readWatch) return; // a read is under way or the reader is paused: 'idle' comes when it ends
    native().unwatchFd(this.readWatch);
    this.readWatch = 0;
    this._read();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    let off = 0;
    const attempt = (): void => {
      this.writeWatch = 0;
      if (this.fd < 0) return done(new Error('the terminal is closed'));
      try {
        while (off < chunk.length) off += fs.writeSync(this.fd, chunk, off, chunk.length - off);
      } catch (e) {
        if (errorCode(e) !== 'EAGAIN') return done(e as Error);
        this.writeWatch = this.watch(true, attempt);
        return;
      }
      done();
    };
    attempt();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    for (const id of [this.readWatch, this.writeWatch]) if (id) native().unwatchFd(id);
    this.readWatch = this.writeWatch = 0;
    if (this.fd >= 0) native().close(this.fd);
    this.fd = -1;
    done(error);
  }

  private watch(writable: boolean, then: () => void): number {
    return native().watchFd(this.fd, writable, () => {
      if (writable) this.writeWatch = 0;
      else this.readWatch = 0;
      if (this.fd >= 0) then();
    });
  }
}
