#!/usr/bin/env node
'use strict';
// `npm run bench`: ts-oci side by side with runc and crun, in one hyperfine
// run, plus Node's own floor, the library's per-container cost and the RSS
// of a created container waiting for `start`. Prints a markdown table.
// Root only. Installs runc, crun and hyperfine if missing.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { makeRootfs } = require('./make-rootfs');
const { prepareHugetlbForCrun } = require('./bench-crun-cgroup');

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

function hyperfine(commands) {
  const out = path.join(work, 'hyperfine.json');
  const args = ['--warmup', '3', '--runs', String(runs), '--export-json', out, '--style', 'basic'];
  for (const c of commands) args.push('-n', c.name, c.cmd);
  execFileSync('hyperfine', args, { stdio: ['ignore', 'inherit', 'inherit'], env: benchEnv() });
  return JSON.parse(fs.readFileSync(out, 'utf8')).results.map((r) => ({ name: r.command, median: r.median * 1000 }));
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

/** Per-container cost of create/start/wait/delete through the library, in one process. */
function libraryCycle(bundle) {
  const script = path.join(__dirname, 'bench-library.js');
  const out = execFileSync(process.execPath, [script, bundle, `${work}/state-lib`, String(runs)], { env: benchEnv() });
  return JSON.parse(out.toString()).medianMs;
}

function table(rows) {
  const lines = ['| measurement | ts-oci | runc | crun | ts-oci / runc | ts-oci / crun |', '|---|---|---|---|---|---|'];
  for (const r of rows) {
    const ratio = (a, b) => (a && b ? (a / b).toFixed(2) + '×' : '–');
    lines.push(`| ${r.what} | ${r.ts} | ${r.runc} | ${r.crun} | ${ratio(r.tsN, r.runcN)} | ${ratio(r.tsN, r.crunN)} |`);
  }
  return lines.join('\n');
}

function main() {
  if (process.getuid() !== 0) throw new Error('the benchmark runs containers: run it as root');
  ensureTools();
  prepareHugetlbForCrun();
  const bundle = makeBundle();
  const rts = runtimes(bundle);
  const results = hyperfine([
    { name: 'node -e 0', cmd: `${process.execPath} -e 0` },
    ...rts.map((r) => ({ name: `run ${r.name}`, cmd: r.run })),
    ...rts.map((r) => ({ name: `cycle ${r.name}`, cmd: r.cycle })),
  ]);
  const ms = (name) => results.find((r) => r.name === name).median;
  const row = (what, f, unit) => {
    const [ts, runc, crun] = rts.map((r) => f(r));
    return { what, ts: `${ts.toFixed(1)} ${unit}`, runc: `${runc.toFixed(1)} ${unit}`, crun: `${crun.toFixed(1)} ${unit}`, tsN: ts, runcN: runc, crunN: crun };
  };
  const rows = [
    row('`run` busybox `true` (median)', (r) => ms(`run ${r.name}`), 'ms'),
    row('create → start → delete (median)', (r) => ms(`cycle ${r.name}`), 'ms'),
    row('RSS of a created container', (r) => createdRss(r, bundle) / 1024, 'MB'),
  ];
  const lib = libraryCycle(bundle);
  console.log('\n' + table(rows));
  console.log(`\nNode's floor (\`node -e 0\`): ${ms('node -e 0').toFixed(1)} ms. ` +
    `Library create → start → wait → delete per container, in one process: ${lib.toFixed(1)} ms (median of ${runs}).`);
}

/** Whatever failed, no container, cgroup or state of the benchmark stays behind. */
function cleanUp() {
  for (const r of runtimes('')) {
    for (const id of ['bench-run', 'bench-cycle', 'bench-rss']) spawnSync('sh', ['-c', `${r.cmd} delete --force ${id}`], { stdio: 'ignore' });
  }
  fs.rmSync(work, { recursive: true, force: true });
}

try {
  main();
} finally {
  cleanUp();
}
