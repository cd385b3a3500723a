// The public type of `container.terminal`. At run time it is a Node
// stream.Duplex (lib/runtime/terminal-stream.ts); the declaration lists the
// stream methods itself so the package's types need no @types/node (with
// them, `terminal as unknown as Duplex` gives the whole stream API).

export interface ContainerTerminal {
  /** The terminal's name inside the container ("/dev/pts/0"). */
  readonly ptyName: string;
  /** Sets the window size the container's processes see (they get SIGWINCH). */
  resize(cols: number, rows: number): void;
  /** Types into the terminal: what the process reads from its stdin. */
  write(data: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
  /**
   * Events as a Duplex's: 'data' (what the process writes to its terminal:
   * Buffers, strings after setEncoding), 'end' (every process in the
   * container closed the terminal and all output was read), 'close', 'error'.
   */
  on(event: string, listener: (...args: any[]) => void): this;
  once(event: string, listener: (...args: any[]) => void): this;
  off(event: string, listener: (...args: any[]) => void): this;
  setEncoding(encoding: string): this;
  pause(): this;
  resume(): this;
  /** Closes the master; the container's processes see their terminal hang up. */
  destroy(error?: Error): this;
  readonly destroyed: boolean;
}
