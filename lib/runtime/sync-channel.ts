// Framed messages on the sync socket between the runtime and ts-oci-init
// (native/common/protocol.h): a short, strictly ordered conversation.
import * as fs from 'fs';
import { promisify } from 'util';
import { native } from '../native';

/** A frame type with this bit carries one descriptor on its payload (protocol.h). */
export const FRAME_FD_FLAG = 0x100;

export const enum FrameType {
  PLAN = 1,
  ACK = 2,
  SYNC = 10,
  ERROR = 11,
  CREATED = 12,
  PID = 14,
  // 50-59: exec
  EXEC_STARTED = 50,
  // 20-29: seccomp
  SECCOMP_LISTENER = 0x100 | 20,
  // 60-69: terminals
  CONSOLE = 0x100 | 60, // FRAME_FD_FLAG: the pty master, payload its peer's name
}

export interface Frame {
  type: number;
  payload: Buffer;
  /** The descriptor an FRAME_FD_FLAG frame carried (O_CLOEXEC, the caller owns it), else -1. */
  fd: number;
}

const MAX_FRAME = 16 << 20;

const readAsync = promisify(fs.read);

async function readExact(fd: number, n: number): Promise<Buffer | null> {
  const buf = Buffer.alloc(n);
  let off = 0;
  while (off < n) {
    let got: number;
    try {
      // A threadpool read: the socket stays blocking (the helper shares nothing
      // with our end), and the event loop stays free while the helper works.
      ({ bytesRead: got } = await readAsync(fd, buf, off, n - off, null));
    } catch (e) {
      // ECONNRESET means the helper died.
      if ((e as NodeJS.ErrnoException).code === 'ECONNRESET') return null;
      throw e;
    }
    if (got === 0) return null;
    off += got;
  }
  return buf;
}

/** Reads one frame; null on EOF (the helper exited). */
export async function readFrame(fd: number): Promise<Frame | null> {
  const head = await readExact(fd, 8);
  if (!head) return null;
  const type = head.readUInt32LE(0);
  const len = head.readUInt32LE(4);
  if (len > MAX_FRAME) throw new Error(`sync frame of ${len} bytes is too large`);
  if (type & FRAME_FD_FLAG) return readFdPayload(fd, type, len);
  const payload = len ? await readExact(fd, len) : Buffer.alloc(0);
  if (!payload) return null;
  return { type, payload, fd: -1 };
}

// The descriptor rides on the payload's first bytes, which only recvmsg
// sees (a plain read would drop it); the rest, if the kernel split it, is
// read plainly.
async function readFdPayload(sock: number, type: number, len: number): Promise<Frame | null> {
  if (len === 0) throw new Error(`sync frame ${type} must carry a payload for its descriptor`);
  const first = await native().recvFd(sock, len);
  if (first.data.length === 0) {
    if (first.fd >= 0) native().close(first.fd);
    return null;
  }
  const rest = first.data.length < len ? await readExact(sock, len - first.data.length) : Buffer.alloc(0);
  if (!rest) {
    if (first.fd >= 0) native().close(first.fd);
    return null;
  }
  return { type, payload: Buffer.concat([first.data, rest]), fd: first.fd };
}

export function writeFrame(fd: number, type: FrameType, payload: Buffer = Buffer.alloc(0)): void {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(payload.length, 4);
  const all = Buffer.concat([head, payload]);
  let off = 0;
  while (off < all.length) off += fs.writeSync(fd, all, off, all.length - off);
}
