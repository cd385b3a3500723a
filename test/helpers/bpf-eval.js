'use strict';
// A classic-BPF interpreter for seccomp programs, so unit tests can ask what
// a compiled profile returns for a syscall without loading it anywhere.
// Only the instructions seccomp accepts; anything else throws.

const AUDIT_ARCH = { x86_64: 0xc000003e, x86: 0x40000003 };
const X32_BIT = 0x40000000;

/** struct seccomp_data: nr, arch, instruction_pointer, args[6] (64-bit, little endian). */
function seccompData({ nr, arch = 'x86_64', args = [] }) {
  const b = Buffer.alloc(64);
  b.writeInt32LE(nr, 0);
  b.writeUInt32LE(AUDIT_ARCH[arch], 4);
  args.forEach((a, i) => b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(a)), 16 + 8 * i));
  return b;
}

/** Runs `bpf` (struct sock_filter[]) on the data; returns the u32 the program returns. */
function runFilter(bpf, data) {
  const n = bpf.length / 8;
  let A = 0;
  let X = 0;
  const M = new Uint32Array(16);
  for (let pc = 0; pc < n; pc++) {
    const code = bpf.readUInt16LE(pc * 8);
    const jt = bpf[pc * 8 + 2];
    const jf = bpf[pc * 8 + 3];
    const k = bpf.readUInt32LE(pc * 8 + 4);
    const cls = code & 0x07;
    if (cls === 0x00) { // LD
      if (code === 0x20) A = data.readUInt32LE(k); // LD W ABS
      else if (code === 0x00) A = k; // LD IMM
      else if (code === 0x60) A = M[k]; // LD MEM
      else throw new Error(`unsupported ld 0x${code.toString(16)}`);
    } else if (cls === 0x01) { // LDX
      if (code === 0x01) X = k;
      else if (code === 0x61) X = M[k];
      else throw new Error(`unsupported ldx 0x${code.toString(16)}`);
    } else if (cls === 0x02) M[k] = A; // ST
    else if (cls === 0x03) M[k] = X; // STX
    else if (cls === 0x04) { // ALU
      const src = code & 0x08 ? X : k;
      switch (code & 0xf0) {
        case 0x00: A = (A + src) >>> 0; break;
        case 0x10: A = (A - src) >>> 0; break;
        case 0x50: A = (A & src) >>> 0; break;
        case 0x40: A = (A | src) >>> 0; break;
        case 0xa0: A = (A ^ src) >>> 0; break;
        case 0x60: A = (A << src) >>> 0; break;
        case 0x70: A = A >>> src; break;
        default: throw new Error(`unsupported alu 0x${code.toString(16)}`);
      }
    } else if (cls === 0x05) { // JMP
      const src = code & 0x08 ? X : k;
      const op = code & 0xf0;
      if (op === 0x00) { pc += k; continue; }
      const cond = op === 0x10 ? A === src : op === 0x20 ? A > src : op === 0x30 ? A >= src : op === 0x40 ? (A & src) !== 0 : null;
      if (cond === null) throw new Error(`unsupported jmp 0x${code.toString(16)}`);
      pc += cond ? jt : jf;
    } else if (cls === 0x06) return code & 0x10 ? A : k; // RET A / RET K
    else if (cls === 0x07) { if (code === 0x07) X = A; else A = X; } // TAX / TXA
  }
  throw new Error('filter ran off its end');
}

/** Syscall numbers the tests use (x86_64, and i386 where named). */
const NR = {
  x86_64: { read: 0, write: 1, mkdir: 83, mkdirat: 258, kill: 62, execve: 59, personality: 135, clone: 56, getpid: 39, ptrace: 101, chmod: 90, keyctl: 250, socket: 41 },
  x86: { mkdir: 39, kill: 37, getpid: 20, socketcall: 102 },
};

const RET = {
  KILL_THREAD: 0x00000000, KILL_PROCESS: 0x80000000, TRAP: 0x00030000, ERRNO: 0x00050000,
  TRACE: 0x7ff00000, LOG: 0x7ffc0000, ALLOW: 0x7fff0000, NOTIFY: 0x7fc00000,
};

/** What the filter returns for `call` on `arch` with `args`. */
function verdict(bpf, call, args = [], arch = 'x86_64', { x32 = false } = {}) {
  const nr = NR[arch][call];
  if (nr === undefined) throw new Error(`no number for ${call} on ${arch}`);
  return runFilter(bpf, seccompData({ nr: x32 ? nr + X32_BIT : nr, arch, args }));
}

module.exports = { runFilter, seccompData, verdict, NR, RET };
