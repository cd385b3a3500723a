'use strict';
// The library's side of `npm run bench`, in one Node process (no start-up
// cost): `seq N` runs N lifecycles one after another, `concurrent N` runs N
// all in flight at once, `leak N` runs N lifecycles and reports what grew
// (fds, RSS, memory outside the JS heap, JS objects that survive, zombies,
// cgroup dirs, lock queues). Prints one JSON object.
const fs = require('fs');
const path = require('path');
const { Container } = require(path.resolve(__dirname, '../dist/index.js'));
const { lockQueueCount } = require(path.resolve(__dirname, '../dist/state/lock.js'));
const { heapMark, survivorsSince } = require('./heap-growth');

async function lifecycle(bundle, root, id) {
  const c = await Container.create({ id, bundle, root });
  await c.start();
  await c.wait();
  await c.delete();
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function counts() {
  const fds = fs.readdirSync('/proc/self/fd').length;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
  // Children of ours that are zombies: each /proc/<pid>/stat with our ppid and state Z.
  let zombies = 0;
  for (const p of fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z' && Number(rest[1]) === process.pid) zombies++;
    } catch { /* gone meanwhile */ }
  }
  const cgroups = benchCgroups('/sys/fs/cgroup/memory', 4);
  // RSS also grows when V8 enlarges its heap (a sizing policy, not a leak):
  // what is resident outside the JS heap (native allocations, the addon's)
  // tells a native leak apart; survivorsSince (below) a JS one.
  const outsideHeapKb = rssKb - Math.round(process.memoryUsage().heapTotal / 1024);
  return { fds, rssKb, outsideHeapKb, zombies, cgroups, lockQueues: lockQueueCount() };
}

/** cgroup dirs left by this benchmark's containers (named bench-*), a few levels down. */
function benchCgroups(dir, depth) {
  let n = 0;
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  } catch { /* removed meanwhile */ }
  for (const d of entries) {
    if (d.name.startsWith('bench-')) n++;
    if (depth > 1) n += benchCgroups(path.join(dir, d.name), depth - 1);
  }
  return n;
}

async function main() {
  const [mode, bundle, root, nText] = process.argv.slice(2);
  const n = Number(nText);
  if (mode === 'seq') {
    const times = [];
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const t = now();
      await lifecycle(bundle, root, `bench-seq-${i}`);
      times.push(now() - t);
    }
    return { medianMs: median(times), totalMs: now() - t0 };
  }
  if (mode === 'concurrent') {
    const t0 = now();
    await Promise.all(Array.from({ length: n }, (_, i) => lifecycle(bundle, root, `bench-conc-${i}`)));
    return { totalMs: now() - t0 };
  }
  if (mode === 'leak') {
    // A warm-up round first: lazily loaded modules and the addon are not growth.
    for (let i = 0; i < 10; i++) await lifecycle(bundle, root, `bench-warm-${i}`);
    // Counts over the first half; the heap snapshots (which swell RSS
    // themselves) only around the second.
    if (global.gc) global.gc();
    const before = counts();
    for (let i = 0; i < n / 2; i++) await lifecycle(bundle, root, `bench-leak-${i}`);
    if (global.gc) global.gc();
    const after = counts();
    const mark = heapMark();
    for (let i = Math.floor(n / 2); i < n; i++) await lifecycle(bundle, root, `bench-leak-${i}`);
    const survivors = survivorsSince(mark);
    const delta = Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]]));
    return { before, after, delta: { ...delta, jsObjects: survivors.total }, survivors: survivors.byName };
  }
  throw new Error(`unknown mode ${mode}`);
}

main().then((r) => process.stdout.write(JSON.stringify(r)), (e) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
