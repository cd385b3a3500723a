// Framed messages on the sync socket between the runtime and ts-oci-init
// (native/common/protocol.h): a short, strictly ordered conversation.
import * as fs from 'fs';
import { promisify } from 'util';

export const enum FrameType {
  PLAN = 1,
  ACK = 2,
  SYNC = 10,
  ERROR = 11,
  CREATED = 12,
  WARN = 13,
  PID = 14,
}

export interface Frame {
  type: number;
  payload: Buffer;
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
  const payload = len ? await readExact(fd, len) : Buffer.alloc(0);
  if (!payload) return null;
  return { type, payload };
}

export function writeFrame(fd: number, type: FrameType, payload: Buffer = Buffer.alloc(0)): void {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(payload.length, 4);
  const all = Buffer.concat([head, payload]);
  let off = 0;
  while (off < all.length) off += fs.writeSync(fd, all, off, all.length - off);
}
