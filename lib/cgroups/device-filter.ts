// The cgroup2 device filter: linux.resources.devices compiled to an eBPF
// program of type BPF_PROG_TYPE_CGROUP_DEVICE, as runc's devicefilter does.
// The kernel calls it with struct bpf_cgroup_dev_ctx { u32 access_type
// (access << 16 | type); u32 major; u32 minor; } and allows the access
// when it returns 1.
//
// Semantics are the v1 controller's, in config order: a fresh cgroup
// allows everything, and a later rule overrides an earlier one. So the
// rules are checked last to first and the first that matches decides; a
// request no rule matches is allowed (a config starts with deny-all to
// deny by default, as every engine's does). An allow rule matches only a
// request whose access it covers entirely, a deny rule any request that
// asks for one of its accesses (so "deny w" denies "rw"). An
// unconditional rule (type a, *:*, and for deny any access, for allow rwm)
// ends the program: the verifier refuses unreachable instructions.
import type { DeviceCgroup } from '../spec/types';
import { fieldRefusal } from './write';

// struct bpf_cgroup_dev_ctx values (linux/bpf.h).
const DEV_BLOCK = 1;
const DEV_CHAR = 2;
const ACC_MKNOD = 1;
const ACC_READ = 2;
const ACC_WRITE = 4;
const ACC_ALL = ACC_MKNOD | ACC_READ | ACC_WRITE;

// Opcodes (linux/bpf_common.h, linux/bpf.h).
const LDX_MEM_W = 0x61; // dst = *(u32 *)(src + off)
const ALU64_AND_K = 0x57;
const ALU64_RSH_K = 0x77;
const ALU64_MOV_K = 0xb7;
const ALU64_MOV_X = 0xbf;
const JMP_JNE_K = 0x55; // if dst != imm goto pc + off
const JMP_JEQ_K = 0x15;
const JMP_EXIT = 0x95;

// Registers after the prologue: r2 type, r3 access, r4 major, r5 minor.
const R_TYPE = 2;
const R_ACCESS = 3;
const R_MAJOR = 4;
const R_MINOR = 5;

export interface Insn {
  code: number;
  dst: number;
  src: number;
  off: number;
  imm: number;
}

const insn = (code: number, dst: number, src: number, off: number, imm: number): Insn => ({ code, dst, src, off, imm });
/** A jump to the end of the current rule block; `off` is filled in once the block is complete. */
const SKIP = Number.NaN;

const PROLOGUE: Insn[] = [
  insn(LDX_MEM_W, R_TYPE, 1, 0, 0),
  insn(ALU64_AND_K, R_TYPE, 0, 0, 0xffff),
  insn(LDX_MEM_W, R_ACCESS, 1, 0, 0),
  insn(ALU64_RSH_K, R_ACCESS, 0, 0, 16),
  insn(LDX_MEM_W, R_MAJOR, 1, 4, 0),
  insn(LDX_MEM_W, R_MINOR, 1, 8, 0),
];

function returnInsns(allow: boolean): Insn[] {
  return [insn(ALU64_MOV_K, 0, 0, 0, allow ? 1 : 0), insn(JMP_EXIT, 0, 0, 0, 0)];
}

export function accessBits(access: string): number {
  let bits = 0;
  for (const c of access) bits |= c === 'r' ? ACC_READ : c === 'w' ? ACC_WRITE : c === 'm' ? ACC_MKNOD : 0;
  return bits;
}

const wildcard = (n: number | null | undefined): boolean => n === undefined || n === null || n === -1;

function checkRule(rule: DeviceCgroup, index: number): void {
  const field = `linux.resources.devices[${index}]`;
  if (!['a', 'b', 'c', undefined].includes(rule.type)) throw fieldRefusal(`${field}.type`, `invalid device type ${JSON.stringify(rule.type)}`);
  if (rule.access !== undefined && !/^[rwm]{1,3}$/.test(rule.access)) throw fieldRefusal(`${field}.access`, `invalid access ${JSON.stringify(rule.access)}`);
  for (const key of ['major', 'minor'] as const) {
    const n = rule[key];
    if (!wildcard(n) && !(Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0x7fffffff)) {
      throw fieldRefusal(`${field}.${key}`, `invalid device number ${n}`);
    }
  }
}

/** One rule's block: its conditions (each jumping past the block when false), then the verdict. */
function ruleBlock(rule: DeviceCgroup): { insns: Insn[]; unconditional: boolean } {
  const type = rule.type ?? 'a';
  const access = accessBits(rule.access ?? 'rwm');
  const conds: Insn[] = [];
  if (type !== 'a') conds.push(insn(JMP_JNE_K, R_TYPE, 0, SKIP, type === 'b' ? DEV_BLOCK : DEV_CHAR));
  if (access !== ACC_ALL) {
    // allow: no requested bit outside the rule's; deny: some requested bit inside it.
    const mask = rule.allow ? ~access & ACC_ALL : access;
    conds.push(insn(ALU64_MOV_X, 1, R_ACCESS, 0, 0), insn(ALU64_AND_K, 1, 0, 0, mask));
    conds.push(insn(rule.allow ? JMP_JNE_K : JMP_JEQ_K, 1, 0, SKIP, 0));
  }
  if (!wildcard(rule.major)) conds.push(insn(JMP_JNE_K, R_MAJOR, 0, SKIP, rule.major as number));
  if (!wildcard(rule.minor)) conds.push(insn(JMP_JNE_K, R_MINOR, 0, SKIP, rule.minor as number));
  const insns = [...conds, ...returnInsns(!!rule.allow)];
  insns.forEach((ins, i) => {
    if (Number.isNaN(ins.off)) ins.off = insns.length - i - 1;
  });
  return { insns, unconditional: conds.length === 0 };
}

/** The program's instructions for `rules` (config order; later rules win). */
export function deviceFilterInsns(rules: readonly DeviceCgroup[]): Insn[] {
  rules.forEach(checkRule);
  const out = [...PROLOGUE];
  for (let i = rules.length - 1; i >= 0; i--) {
    const block = ruleBlock(rules[i]);
    out.push(...block.insns);
    if (block.unconditional) return out;
  }
  out.push(...returnInsns(true));
  return out;
}

/** struct bpf_insn, little-endian: code u8, dst:4|src:4 u8, off s16, imm s32. */
export function encodeInsns(insns: readonly Insn[]): Buffer {
  const buf = Buffer.alloc(insns.length * 8);
  insns.forEach((ins, i) => {
    buf.writeUInt8(ins.code, i * 8);
    buf.writeUInt8((ins.src << 4) | ins.dst, i * 8 + 1);
    buf.writeInt16LE(ins.off, i * 8 + 2);
    buf.writeInt32LE(ins.imm | 0, i * 8 + 4);
  });
  return buf;
}

export function deviceFilterProgram(rules: readonly DeviceCgroup[]): Buffer {
  return encodeInsns(deviceFilterInsns(rules));
}

/** The license the program is loaded under (device programs call no GPL-only helper). */
export const DEVICE_FILTER_LICENSE = 'Apache';
