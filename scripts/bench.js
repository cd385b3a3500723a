#!/usr/bin/env node
'use strict';
// `npm run bench`: ts-oci side by side with runc and crun, in one hyperfine
// run (in rounds: BENCH_ROUNDS), plus Node's own floor, the library's per-container cost and the RSS
// of a created container waiting for `start`, the quick commands, the library
// sequential, concurrent and over 1000 lifecycles (growth). Prints a markdown
// table and a line per target of issue 10; saves it all as JSON
// (BENCH_JSON, default bench-results.json).
// Root only. Installs runc, crun and hyperfine if missing.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { makeRootfs } = require('./make-rootfs');
const { prepareHugetlbForCrun, restoreHugetlb } = require('./bench-crun-cgroup');

const repo = path.resolve(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-bench-'));
const runs = Number(process.env.BENCH_RUNS || 30);

function ensureTools() {
  const missing = ['runc', 'crun', 'hyperfine'].filter((t) => spawnSync('which', [t]).status !== 0);
  if (missing.length) {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit' });
  }
}

function makeBundle() {
  const bundle = path.join(work, 'bundle');
  makeRootfs(path.join(bundle, 'rootfs'));
  const { defaultSpec } = require(path.join(repo, 'dist/index.js'));
  const config = defaultSpec();
  config.process.terminal = false;
  config.process.args = ['true'];
  // Debian's crun 1.8 refuses ociVersion 1.3.0 ("unknown version specified").
  config.ociVersion = '1.0.2';
  fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(config, null, 2));
  return bundle;
}

const runtimes = (bundle) => [
  { name: 'ts-oci', cmd: `${path.join(repo, 'bin/ts-oci')} --root ${work}/state-ts-oci` },
  { name: 'runc', cmd: `runc --root ${work}/state-runc` },
  { name: 'crun', cmd: `crun --root ${work}/state-crun` },
].map((r) => ({
  ...r,
  run: `${r.cmd} run -b ${bundle} bench-run`,
  cycle: `${r.cmd} create -b ${bundle} bench-cycle && ${r.cmd} start bench-cycle && ${r.cmd} delete --force bench-cycle`,
}));

/**
 * hyperfine in rounds, the order of the commands rotated each round, and
 * each command's median over all its runs: on a noisy machine a slow
 * stretch then falls on every command alike instead of on whichever ran
 * in it (the floor and the quick commands differ by a few ms).
 */
function hyperfine(commands, perCommand = runs, rounds = Number(process.env.BENCH_ROUNDS || 5)) {
  const out = path.join(work, 'hyperfine.json');
  const times = new Map(commands.map((c) => [c.name, []]));
  for (let i = 0; i < rounds; i++) {
    const order = [...commands.slice(i % commands.length), ...commands.slice(0, i % commands.length)];
    const args = ['--warmup', '2', '--runs', String(Math.max(2, Math.ceil(perCommand / rounds))), '--export-json', out, '--style', 'basic'];
    for (const c of order) args.push('-n', c.name, c.cmd);
    execFileSync('hyperfine', args, { stdio: ['ignore', 'inherit', 'inherit'], env: benchEnv() });
    for (const r of JSON.parse(fs.readFileSync(out, 'utf8')).results) times.get(r.command).push(...r.times);
  }
  return commands.map((c) => ({ name: c.name, median: median(times.get(c.name)) * 1000, runs: times.get(c.name).length }));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function benchEnv() {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

/** RSS (kB) of the process waiting in `created`, for each runtime. */
function createdRss(rt, bundle) {
  // No pipes: the created container inherits stdio and would hold them open.
  execFileSync('sh', ['-c', `${rt.cmd} create -b ${bundle} --pid-file ${work}/pid bench-rss`], { env: benchEnv(), stdio: 'ignore' });
  try {
    const pid = fs.readFileSync(`${work}/pid`, 'utf8').trim();
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
  } finally {
    spawnSync('sh', ['-c', `${rt.cmd} delete --force bench-rss`], { env: benchEnv() });
  }
}

/** The library in one process: sequential, concurrent and leak modes (scripts/bench-library.js). */
function library(mode, bundle, n) {
  const script = path.join(__dirname, 'bench-library.js');
  const out = execFileSync(process.execPath, ['--expose-gc', script, mode, bundle, `${work}/state-lib`, String(n)], {
    env: benchEnv(),
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.toString());
}

function table(rows) {
  const lines = ['| measurement | ts-oci | runc | crun | ts-oci / runc | ts-oci / crun |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    const ratio = (a, b) => (a && b ? (a / b).toFixed(2) + '×' : '–');
    lines.push(`| ${r.what} | ${r.ts} | ${r.runc} | ${r.crun} | ${ratio(r.tsN, r.runcN)} | ${ratio(r.tsN, r.crunN)} |`);
  }
  return lines.join('\n');
}

/** The issue's targets, each with the numbers it was judged on. */
function targets(m) {
  const line = (met, text) => ({ met, text: `${met ? 'met' : 'NOT met'}: ${text}` });
  const beyond = m.run.ts - m.floor;
  return [
    line(beyond <= m.run.crun, `run beyond Node's floor ${beyond.toFixed(1)} ms ≤ crun's run ${m.run.crun.toFixed(1)} ms`),
    line(m.run.ts <= m.run.runc, `(stretch) run ${m.run.ts.toFixed(1)} ms ≤ runc's run ${m.run.runc.toFixed(1)} ms`),
    line(m.cycle.ts - 3 * m.floor <= m.cycle.crun,
      `cycle beyond three floors ${(m.cycle.ts - 3 * m.floor).toFixed(1)} ms ≤ crun's cycle ${m.cycle.crun.toFixed(1)} ms`),
    ...['state', 'list', 'kill', '--help', '--version'].map((c) =>
      line(m.quick[c] - m.quickFloor <= 5, `\`${c}\` ${m.quick[c].toFixed(1)} ms is within 5 ms of the floor ${m.quickFloor.toFixed(1)} ms (measured with it)`)),
    line(m.lib.seq.medianMs <= m.run.crun / 2, `library lifecycle ${m.lib.seq.medianMs.toFixed(1)} ms ≤ half crun's run ${(m.run.crun / 2).toFixed(1)} ms`),
    line(m.lib.concurrent.totalMs <= 0.6 * m.lib.seq100.totalMs,
      `100 concurrent ${m.lib.concurrent.totalMs.toFixed(0)} ms ≤ 60% of 100 sequential ${m.lib.seq100.totalMs.toFixed(0)} ms`),
    line(Object.entries(m.lib.leak.delta).every(([k, v]) => (/Kb$/.test(k) ? true : k === 'jsObjects' ? v < 100 : v <= 0)),
      `no growth over ${m.leakRuns} lifecycles: ${JSON.stringify(m.lib.leak.delta)} (JS objects made meanwhile and still alive < 100; RSS, which follows V8's heap sizing and malloc's arenas, and memory outside the JS heap are shown)`),
    line(m.rss.ts <= 0.8 * 1024 * 1.05, `created RSS ${(m.rss.ts / 1024).toFixed(2)} MB ≤ 0.8 MB`),
  ];
}

function main() {
  if (process.getuid() !== 0) throw new Error('the benchmark runs containers: run it as root');
  ensureTools();
  prepareHugetlbForCrun();
  const bundle = makeBundle();
  const rts = runtimes(bundle);
  const ts = rts[0].cmd;
  // A created container for state and kill (SIGCONT does nothing to an init waiting for start).
  execFileSync('sh', ['-c', `${ts} create -b ${bundle} bench-state`], { env: benchEnv(), stdio: 'ignore' });
  const quick = { state: `${ts} state bench-state`, list: `${ts} list`, kill: `${ts} kill bench-state CONT`, '--help': `${ts} --help`, '--version': `${ts} --version` };
  const certs = process.env.NODE_EXTRA_CA_CERTS;
  const floor = { name: 'node -e 0', cmd: `${process.execPath} -e 0` };
  // The quick commands are a few ms apart from the floor: three times the
  // runs, in three times the rounds, in a group of their own with it (each
  // group is judged on its own floor).
  const quickResults = hyperfine([
    floor,
    ...Object.entries(quick).map(([name, cmd]) => ({ name: `ts-oci ${name}`, cmd })),
  ], 3 * runs, 3 * Number(process.env.BENCH_ROUNDS || 5));
  const results = hyperfine([
    floor,
    ...(certs ? [{ name: 'node -e 0 (NODE_EXTRA_CA_CERTS set)', cmd: `env NODE_EXTRA_CA_CERTS=${certs} ${process.execPath} -e 0` },
      { name: 'ts-oci --version (NODE_EXTRA_CA_CERTS set)', cmd: `env NODE_EXTRA_CA_CERTS=${certs} ${quick['--version']}` }] : []),
    ...rts.map((r) => ({ name: `run ${r.name}`, cmd: r.run })),
    ...rts.map((r) => ({ name: `cycle ${r.name}`, cmd: r.cycle })),
  ]);
  spawnSync('sh', ['-c', `${ts} delete --force bench-state`], { env: benchEnv() });
  const ms = (name) => results.find((r) => r.name === name).median;
  const per = (f) => ({ ts: f(rts[0]), runc: f(rts[1]), crun: f(rts[2]) });
  const leakRuns = Number(process.env.BENCH_LEAK_RUNS || 1000);
  const m = {
    floor: ms('node -e 0'),
    quickFloor: quickResults.find((r) => r.name === 'node -e 0').median,
    run: per((r) => ms(`run ${r.name}`)),
    cycle: per((r) => ms(`cycle ${r.name}`)),
    quick: Object.fromEntries(Object.keys(quick).map((c) => [c, quickResults.find((r) => r.name === `ts-oci ${c}`).median])),
    rss: per((r) => createdRss(r, bundle)),
    lib: {
      seq: library('seq', bundle, runs),
      seq100: library('seq', bundle, 100),
      concurrent: library('concurrent', bundle, 100),
      leak: library('leak', bundle, leakRuns),
    },
    leakRuns,
    hyperfine: [...quickResults.map((r) => ({ ...r, group: 'quick' })), ...results],
  };
  const row = (what, v, unit, digits = 1) => ({ what, ts: `${v.ts.toFixed(digits)} ${unit}`, runc: `${v.runc.toFixed(digits)} ${unit}`,
    crun: `${v.crun.toFixed(digits)} ${unit}`, tsN: v.ts, runcN: v.runc, crunN: v.crun });
  const rows = [
    row('`run` busybox `true` (median)', m.run, 'ms'),
    row('create → start → delete (median)', m.cycle, 'ms'),
    row('RSS of a created container', { ts: m.rss.ts / 1024, runc: m.rss.runc / 1024, crun: m.rss.crun / 1024 }, 'MB'),
  ];
  const lines = [
    table(rows),
    '',
    `Node's floor (\`node -e 0\`): ${m.floor.toFixed(1)} ms` +
      (certs ? `; with NODE_EXTRA_CA_CERTS set: ${ms('node -e 0 (NODE_EXTRA_CA_CERTS set)').toFixed(1)} ms (ts-oci --version with it set: ${ms('ts-oci --version (NODE_EXTRA_CA_CERTS set)').toFixed(1)} ms: the launcher drops it).` : '.'),
    `ts-oci ${Object.entries(m.quick).map(([c, v]) => `\`${c}\` ${v.toFixed(1)} ms`).join(', ')} ` +
      `(${3 * runs} runs each, with Node's floor at ${m.quickFloor.toFixed(1)} ms in the same group).`,
    `Library, one process: create → start → wait → delete ${m.lib.seq.medianMs.toFixed(1)} ms per container (median of ${runs}); ` +
      `100 sequential ${m.lib.seq100.totalMs.toFixed(0)} ms, 100 concurrent ${m.lib.concurrent.totalMs.toFixed(0)} ms ` +
      `(${(m.lib.concurrent.totalMs / m.lib.seq100.totalMs).toFixed(2)}×); growth over ${leakRuns} lifecycles: ${JSON.stringify(m.lib.leak.delta)}.`,
    '',
    ...targets(m).map((t) => `- ${t.text}`),
  ];
  console.log('\n' + lines.join('\n'));
  const out = process.env.BENCH_JSON || path.join(repo, 'bench-results.json');
  fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine: machine(), runs, ...m, targets: targets(m) }, null, 2) + '\n');
  console.log(`\nsaved ${out}`);
}

function machine() {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, kernel: os.release(), node: process.version, loadavg: os.loadavg() };
}

/** Whatever failed, no container, cgroup or state of the benchmark stays behind. */
function cleanUp() {
  for (const r of runtimes('')) {
    for (const id of ['bench-run', 'bench-cycle', 'bench-rss', 'bench-state']) spawnSync('sh', ['-c', `${r.cmd} delete --force ${id}`], { stdio: 'ignore' });
  }
  fs.rmSync(work, { recursive: true, force: true });
  restoreHugetlb();
}

try {
  main();
} finally {
  cleanUp();
}
