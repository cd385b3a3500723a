'use strict';
// An interpreter for the eBPF subset the device filter generator emits
// (lib/cgroups/device-filter.ts), so unit tests can ask what a program
// returns for a device access without a kernel. Anything else throws; it
// also refuses what the verifier would (a jump out of the program, an
// instruction no path reaches, a fall off the end).

const ACCESS = { m: 1, r: 2, w: 4 };
const TYPE = { b: 1, c: 2 };

function decode(buf) {
  const insns = [];
  for (let i = 0; i < buf.length; i += 8) {
    insns.push({ code: buf[i], dst: buf[i + 1] & 0xf, src: buf[i + 1] >> 4, off: buf.readInt16LE(i + 2), imm: buf.readInt32LE(i + 4) });
  }
  return insns;
}

/** Every instruction is reachable and every jump stays inside (the verifier's checks we rely on). */
function checkShape(insns) {
  const reached = new Set();
  const todo = [0];
  while (todo.length) {
    const pc = todo.pop();
    if (reached.has(pc)) continue;
    if (pc < 0 || pc >= insns.length) throw new Error(`jump or fall out of the program at ${pc}`);
    reached.add(pc);
    const { code, off } = insns[pc];
    if (code === 0x95) continue;
    if (code === 0x55 || code === 0x15) todo.push(pc + 1 + off);
    todo.push(pc + 1);
  }
  if (reached.size !== insns.length) throw new Error('unreachable instructions');
}

/** Runs the program for a request { type: 'c'|'b', major, minor, access: 'rw'... }; returns r0. */
function runDeviceProgram(buf, req) {
  const insns = decode(buf);
  checkShape(insns);
  const access = [...req.access].reduce((a, c) => a | ACCESS[c], 0);
  const ctx = [(access << 16) | TYPE[req.type], req.major, req.minor];
  const r = new Array(11).fill(0);
  r[1] = 'ctx';
  for (let pc = 0, steps = 0; steps < 10000; steps++) {
    const { code, dst, src, off, imm } = insns[pc];
    pc++;
    switch (code) {
      case 0x61: if (r[src] !== 'ctx' || off % 4) throw new Error('load not from ctx'); r[dst] = ctx[off / 4] >>> 0; break;
      case 0x57: r[dst] = Number(BigInt(r[dst]) & BigInt.asUintN(64, BigInt(imm))); break;
      case 0x77: r[dst] = Number(BigInt(r[dst]) >> BigInt(imm)); break;
      case 0xb7: r[dst] = imm; break;
      case 0xbf: r[dst] = r[src]; break;
      case 0x55: if (r[dst] !== imm) pc += off; break;
      case 0x15: if (r[dst] === imm) pc += off; break;
      case 0x95: return r[0];
      default: throw new Error(`opcode 0x${code.toString(16)} not expected`);
    }
  }
  throw new Error('no exit');
}

module.exports = { runDeviceProgram, decode };
