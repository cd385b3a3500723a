// Framed messages on the sync socket between the runtime and ts-oci-init
// (native/common/protocol.h). The socket is blocking: create is a short,
// strictly ordered conversation, and blocking reads keep it in order.
import * as fs from 'fs';

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

function readExact(fd: number, n: number): Buffer | null {
  const buf = Buffer.alloc(n);
  let off = 0;
  while (off < n) {
    let got: number;
    try {
      got = fs.readSync(fd, buf, off, n - off, null);
    } catch (e) {
      // EAGAIN cannot happen on a blocking socket; ECONNRESET means the helper died.
      if ((e as NodeJS.ErrnoException).code === 'ECONNRESET') return null;
      throw e;
    }
    if (got === 0) return null;
    off += got;
  }
  return buf;
}

/** Reads one frame; null on EOF (the helper exited). */
export function readFrame(fd: number): Frame | null {
  const head = readExact(fd, 8);
  if (!head) return null;
  const type = head.readUInt32LE(0);
  const len = head.readUInt32LE(4);
  if (len > MAX_FRAME) throw new Error(`sync frame of ${len} bytes is too large`);
  const payload = len ? readExact(fd, len) : Buffer.alloc(0);
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
