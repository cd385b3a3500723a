'use strict';
// Seed corpus for native/fuzz/decoder_fuzzer.cc: real launch plans from the
// TS plan builder and encoder (dist/, so build first), the frames that carry
// them, and hook-state overrides. Each seed's first byte picks the decoder
// (0 plan, 1 frames, 2 overrides), as in the fuzz target.
//
//   node scripts/fuzz-seeds.js <dir>
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '..');
const { buildLaunchPlan } = require(path.join(repo, 'dist/plan/build'));
const { encodePlan } = require(path.join(repo, 'dist/plan/encode'));

const configs = path.join(repo, 'test/fixtures/configs');

function context(name) {
  return {
    bundle: '/b', rootfs: '/b/rootfs', statePath: `/run/ts-oci/${name}`, fifoPath: `/run/ts-oci/${name}/exec.fifo`,
    noPivot: name.endsWith('-nopivot'), preserveFds: 2, hookState: (status) => `{"id":"${name}","status":"${status}"}`,
    cgroup: undefined,
  };
}

/** The plan of `config`, dropping each field the planner refuses here (it names it) until it plans. */
function planWithout(config, ctx) {
  for (let tries = 0; tries < 10; tries++) {
    try {
      return buildLaunchPlan(config, ctx).ops;
    } catch (e) {
      const pointer = /: (\/[^:]+): /.exec(e.message ?? '')?.[1];
      if (!pointer) return undefined;
      const keys = pointer.slice(1).split('/');
      const last = keys.pop();
      const parent = keys.reduce((o, k) => (o == null ? o : o[k]), config);
      if (parent == null || !(last in parent)) return undefined;
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    }
  }
  return undefined;
}

/** Launch plans of the fixture configs (each also with --no-pivot), as op arrays. */
function fixturePlans() {
  const plans = [];
  for (const file of fs.readdirSync(configs).filter((f) => f.endsWith('.json'))) {
    const config = JSON.parse(fs.readFileSync(path.join(configs, file), 'utf8'));
    for (const name of [file.replace(/\.json$/, ''), `${file.replace(/\.json$/, '')}-nopivot`]) {
      const ops = planWithout(structuredClone(config), context(name));
      if (ops) plans.push({ name, ops });
    }
  }
  return plans;
}

/** Ops the fixtures do not produce, so every decoder path has a seed. */
const extraOps = [
  { op: 'setns', path: '/proc/1/ns/net', nstype: 0x40000000, ns: 'network' },
  { op: 'forkPidns' },
  { op: 'hookState', json: '{"status":"creating"}' },
  { op: 'hook', hook: 'createContainer', path: '/bin/true', timeout: 5, args: ['true', 'a'], env: ['A=1'] },
  { op: 'creds', uid: 1000, gid: 1000, groups: [10, 20] },
  { op: 'procWrite', path: 'sys/net/ipv4/ip_forward', value: '1' },
  { op: 'exec', args: ['sh', '-c', 'true'], env: ['PATH=/bin'], preserveFds: 1 },
];

function frame(type, payload) {
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(payload.length, 4);
  return Buffer.concat([head, payload]);
}

function overrides(entries) {
  return Buffer.concat(entries.flatMap(([index, json]) => {
    const head = Buffer.alloc(8);
    head.writeUInt32LE(index, 0);
    head.writeUInt32LE(Buffer.byteLength(json), 4);
    return [head, Buffer.from(json)];
  }));
}

function seeds() {
  const out = [];
  const plans = [...fixturePlans(), { name: 'extra', ops: extraOps }];
  for (const { name, ops } of plans) {
    const plan = encodePlan(ops);
    out.push([`plan-${name}`, Buffer.concat([Buffer.from([0]), plan])]);
    if (plan.length < 50000) out.push([`frames-${name}`, Buffer.concat([Buffer.from([1]), frame(1, plan), frame(2, Buffer.alloc(0))])]);
  }
  const step = Buffer.alloc(4);
  step.writeInt32LE(3, 0);
  out.push(['overrides', Buffer.concat([Buffer.from([2]), step, overrides([[1, '{"pid":1}'], [3, '{"pid":42}']])])]);
  return out;
}

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node scripts/fuzz-seeds.js <dir>\n');
    process.exit(2);
  }
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, data] of seeds()) fs.writeFileSync(path.join(dir, name), data);
}

module.exports = { seeds, fixturePlans, extraOps };
