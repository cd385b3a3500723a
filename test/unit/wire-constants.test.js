'use strict';
// The wire contract has two sides: native/common/protocol.h (and the
// helper's op table) and the TypeScript runtime. This reads the C++ source
// and checks every constant TS also defines agrees, for whatever entries
// the areas have added to their blocks.
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');

const repo = path.resolve(__dirname, '../..');
const read = (f) => fs.readFileSync(path.join(repo, f), 'utf8');
const stripComments = (s) => s.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');

/** Evaluates a C or TS integer expression over known names (hex, u suffix, | << +). */
function evaluate(expr, names) {
  const js = expr.trim().replace(/\b(0x[0-9a-fA-F]+|\d+)[uU]?\b/g, '$1')
    .replace(/\b[A-Za-z_]\w*\b/g, (n) => {
      if (!(n in names)) throw new Error(`unknown name ${n} in ${JSON.stringify(expr)}`);
      return String(names[n]);
    });
  if (!/^[\d\sxa-fA-F|&<>()+*-]+$/.test(js)) throw new Error(`not an integer expression: ${expr}`);
  return Function(`"use strict"; return (${js});`)();
}

/** `NAME = expr,` entries of the enum (C++ or TS) named `name` in `src`. */
function enumEntries(src, re, names = {}) {
  const m = re.exec(stripComments(src));
  if (!m) throw new Error(`enum not found: ${re}`);
  const out = {};
  for (const item of m[1].split(',')) {
    const e = /^\s*(\w+)\s*=\s*([^]*?)\s*$/.exec(item);
    if (e) out[e[1]] = evaluate(e[2], { ...names, ...out });
  }
  return out;
}

/** `constexpr <type> NAME = expr;` of protocol.h. */
function constants(src) {
  const out = {};
  for (const m of stripComments(src).matchAll(/constexpr\s+\w+\s+(\w+)\s*=\s*([^;]+);/g)) out[m[1]] = evaluate(m[2], out);
  return out;
}

const withoutPrefix = (entries, prefix) =>
  Object.fromEntries(Object.entries(entries).map(([k, v]) => [k.startsWith(prefix) ? k.slice(prefix.length) : k, v]));

describe('wire constants: protocol.h and the TypeScript side agree', () => {
  const header = read('native/common/protocol.h');
  const k = constants(header);

  it('PLAN_VERSION, MAX_STRING and MAX_FRAME', () => {
    const { PLAN_VERSION, SYNC_CREATE_RUNTIME } = require('../../dist/plan/ops');
    const { MAX_STRING, MAX_PLAN } = require('../../dist/plan/encode');
    expect(PLAN_VERSION).to.equal(k.PLAN_VERSION);
    expect(MAX_STRING).to.equal(k.MAX_STRING);
    expect(MAX_PLAN).to.equal(k.MAX_FRAME);
    const syncChannel = read('lib/runtime/sync-channel.ts');
    expect(evaluate(/const MAX_FRAME = ([^;]+);/.exec(syncChannel)[1], {})).to.equal(k.MAX_FRAME);
    expect(SYNC_CREATE_RUNTIME).to.equal(enumEntries(header, /enum SyncTag\s*:\s*\w+\s*\{([^}]*)\}/).SYNC_CREATE_RUNTIME);
  });

  it('every op kind, by name and number, in protocol.h, lib/plan/ops.ts and the helper\'s op table', () => {
    const c = withoutPrefix(enumEntries(header, /enum OpKind\s*:\s*\w+\s*\{([^}]*)\}/), 'OP_');
    const ts = enumEntries(read('lib/plan/ops.ts'), /export const enum OpKind\s*\{([^}]*)\}/);
    expect(ts).to.deep.equal(c);
    expect(Object.keys(c).length).to.be.above(30);
    const table = [...stripComments(read('native/init/op_table.cc')).matchAll(/\{\s*OP_(\w+)\s*,\s*"([a-zA-Z]*)"/g)].map((m) => m[1]);
    expect([...table].sort()).to.deep.equal(Object.keys(c).sort());
    expect(new Set(Object.values(c)).size, 'kinds are unique').to.equal(Object.keys(c).length);
  });

  it('every frame type, by name and number, and FRAME_FD_FLAG', () => {
    const c = withoutPrefix(enumEntries(header, /enum FrameType\s*:\s*\w+\s*\{([^}]*)\}/, k), 'FRAME_');
    const syncChannel = read('lib/runtime/sync-channel.ts');
    const ts = enumEntries(syncChannel, /export const enum FrameType\s*\{([^}]*)\}/, { FRAME_FD_FLAG: k.FRAME_FD_FLAG });
    expect(ts).to.deep.equal(c);
    expect(require('../../dist/runtime/sync-channel').FRAME_FD_FLAG).to.equal(k.FRAME_FD_FLAG);
    expect(new Set(Object.values(c)).size, 'frame types are unique').to.equal(Object.keys(c).length);
  });

  it('EXEC_MARKER', () => {
    expect(require('../../dist/runtime/exec-fifo-report').EXEC_MARKER).to.equal(k.EXEC_MARKER);
  });

  it('the ErrorRecord layout: size and every field at the offset the C struct puts it', () => {
    const body = /struct ErrorRecord\s*\{([^}]*)\}/.exec(stripComments(header))[1];
    const sizes = { int32_t: 4, uint32_t: 4, int64_t: 8 };
    const fields = [];
    let offset = 0;
    for (const m of body.matchAll(/(\w+)\s+(\w+)(?:\[(\d+)\])?\s*;/g)) {
      const size = m[1] === 'char' ? Number(m[3]) : sizes[m[1]];
      if (!size) throw new Error(`unknown field type ${m[1]}`);
      fields.push({ name: m[2], type: m[1], offset, size });
      offset += size;
    }
    const asserted = Number(/static_assert\(sizeof\(ErrorRecord\) == (\d+)/.exec(header)[1]);
    expect(offset).to.equal(asserted);
    const { ERROR_RECORD_SIZE, decodeErrorRecord } = require('../../dist/runtime/error-record');
    expect(ERROR_RECORD_SIZE).to.equal(asserted);
    // Fill each field as the helper would and read it back through the TS decoder.
    const buf = Buffer.alloc(asserted);
    const want = {};
    fields.forEach((f, i) => {
      if (f.type === 'char') {
        want[f.name] = `${f.name}-${i}`.repeat(Math.ceil(f.size / 8)).slice(0, f.size - 1);
        buf.write(want[f.name], f.offset, 'latin1');
      } else {
        want[f.name] = -1000 - i;
        buf.writeInt32LE(want[f.name], f.offset);
      }
    });
    const rec = decodeErrorRecord(buf);
    const tsName = { err: 'errno' };
    for (const f of fields) expect(rec[tsName[f.name] ?? f.name], f.name).to.equal(want[f.name]);
  });
});

describe('wire schemas: what TS encodes is what the helper\'s op table expects', () => {
  const table = Object.fromEntries([...stripComments(read('native/init/op_table.cc'))
    .matchAll(/\{\s*OP_(\w+)\s*,\s*"([a-zA-Z]*)"/g)].map((m) => [m[1], m[2]]));
  const kinds = withoutPrefix(enumEntries(read('native/common/protocol.h'), /enum OpKind\s*:\s*\w+\s*\{([^}]*)\}/), 'OP_');
  const schemaOf = Object.fromEntries(Object.entries(kinds).map(([name, kind]) => [kind, table[name]]));

  /** Why `args` do not match `schema` (init/plan.cc check_schema), or undefined. */
  function mismatch(schema, args) {
    let k = 0;
    for (const s of schema) {
      const a = args[k++];
      if (!a) return 'too few arguments';
      if (s === 'i' && !('i' in a)) return `argument ${k - 1}: expected an integer`;
      if ((s === 's' || s === 'b') && !('s' in a)) return `argument ${k - 1}: expected a string`;
      if (s === 'S' || s === 'I') {
        if (!('i' in a)) return `argument ${k - 1}: expected a list count`;
        for (let j = 0; j < Number(a.i); j++) {
          const item = args[k++];
          if (!item || !((s === 'S' ? 's' : 'i') in item)) return `list item ${j}: wrong type`;
        }
      }
    }
    return k === args.length ? undefined : 'too many arguments';
  }

  it('for every op of the fixture configs\' plans and the seed corpus', () => {
    const { opArgs } = require('../../dist/plan/encode');
    const { fixturePlans, extraOps } = require('../../scripts/fuzz-seeds');
    const ops = [...fixturePlans().flatMap((p) => p.ops), ...extraOps];
    const seen = new Set();
    for (const op of ops) {
      const [kind, args] = opArgs(op);
      expect(schemaOf[kind], `${op.op}: kind ${kind} has no schema in op_table.cc`).to.be.a('string');
      expect(mismatch(schemaOf[kind], args), `${op.op} (kind ${kind}, schema "${schemaOf[kind]}")`).to.equal(undefined);
      seen.add(op.op);
    }
    expect(seen.size).to.be.above(20);
  });
});
