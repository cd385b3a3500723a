// Error and debug reporting. Engines read errors from --log (containerd and
// Podman parse one JSON object per line, runc's {level,msg,time} shape;
// Podman unmarshals the whole file, so a failure leaves exactly one line
// unless --debug: no warnings there either) and from stderr (conmon). Both
// get the same one line.
import * as fs from 'fs';

export interface LogOptions {
  log?: string;
  logFormat?: 'text' | 'json';
  debug?: boolean;
}

export type Level = 'debug' | 'info' | 'warning' | 'error';

export class Logger {
  constructor(private readonly opts: LogOptions) {}

  private append(level: Level, msg: string): void {
    if (!this.opts.log) return;
    const line = this.opts.logFormat === 'json' ? jsonLine(level, msg) : textLine(level, msg);
    try {
      fs.appendFileSync(this.opts.log, line + '\n');
    } catch {
      // A broken log path must not hide the error itself, which stderr still carries.
    }
  }

  /**
   * --debug: to --log when given (stderr stays an engine's error channel),
   * else to stderr in runc's (logrus's) text format.
   */
  debug(msg: string): void {
    if (!this.opts.debug) return;
    if (this.opts.log) this.append('debug', msg);
    else writeStderr(textLine('debug', msg));
  }

  /** A JSON log gets warnings only with --debug: Podman reads a failed create's log as ONE object. */
  warn(msg: string): void {
    if (this.opts.logFormat !== 'json' || this.opts.debug) this.append('warning', msg);
    writeStderr(`ts-oci: warning: ${msg}`);
  }

  /** Several lines (all of a config's schema errors) stay one record in --log, and get a prefix each on stderr. */
  error(msg: string): void {
    this.append('error', msg);
    writeStderr(msg.split('\n').map((line) => `ts-oci: ${line}`).join('\n'));
  }
}

/** runc's --log-format json record. */
export function jsonLine(level: Level, msg: string, time = new Date()): string {
  return JSON.stringify({ level, msg, time: time.toISOString() });
}

/** logrus's text format, as runc writes its --log and its stderr: time="..." level=debug msg="...". */
export function textLine(level: Level, msg: string, time = new Date()): string {
  return `time="${time.toISOString()}" level=${level} msg=${JSON.stringify(msg)}`;
}

/** Direct fd writes: the stdio streams are never touched (libuv would make them non-blocking). */
export function writeStdout(text: string): void {
  writeAll(1, text);
}

export function writeStderr(line: string): void {
  writeAll(2, line.endsWith('\n') ? line : line + '\n');
}

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}
