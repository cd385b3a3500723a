#!/usr/bin/env node
'use strict';
// `npm run bench`, the engines' part: `docker run --rm` and `podman run
// --rm` of the busybox image (`true`, no network) with ts-oci, runc and crun
// as the runtime, side by side in one hyperfine run. The daemons are the
// engine suites' own (test/helpers/dockerd.js, test/helpers/podman.js):
// off the host's state, stopped and cleaned up at the end. Prints a
// markdown table; saves the numbers as JSON (BENCH_ENGINES_JSON, default
// bench-engines.json). Root only; BENCH_RUNS runs per command (default 30).
const fs = require('fs');
const { prepareHugetlbForCrun, restoreHugetlb } = require('./bench-crun-cgroup');
const path = require('path');
const { execFileSync } = require('child_process');
const { startDockerd } = require('../test/helpers/dockerd');
const { Podman, IMAGE: PODMAN_IMAGE } = require('../test/helpers/podman');

const repo = path.resolve(__dirname, '..');
const runs = Number(process.env.BENCH_RUNS || 30);
const RUNTIMES = ['ts-oci', 'runc', 'crun'];

function which(tool) {
  return execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
}

const quote = (s) => `'${String(s).replace(/'/g, "'\\''")}'`;

function hyperfine(commands, work) {
  const out = path.join(work, 'hyperfine-engines.json');
  const args = ['--warmup', '2', '--runs', String(runs), '--export-json', out, '--style', 'basic'];
  for (const c of commands) args.push('-n', c.name, c.cmd);
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  execFileSync('hyperfine', args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  return JSON.parse(fs.readFileSync(out, 'utf8')).results.map((r) => ({ name: r.command, median: r.median * 1000 }));
}

function table(results) {
  const ms = (name) => results.find((r) => r.name === name).median;
  const lines = ['| engine, busybox `true` (median) | ts-oci | runc | crun | ts-oci / runc | ts-oci / crun |', '|---|---|---|---|---|---|'];
  for (const engine of ['docker', 'podman']) {
    const [ts, runc, crun] = RUNTIMES.map((r) => ms(`${engine} run --rm, ${r}`));
    lines.push(`| \`${engine} run --rm\` | ${ts.toFixed(0)} ms | ${runc.toFixed(0)} ms | ${crun.toFixed(0)} ms | ${(ts / runc).toFixed(2)}× | ${(ts / crun).toFixed(2)}× |`);
  }
  return lines.join('\n');
}

async function main() {
  if (process.getuid() !== 0) throw new Error('the benchmark runs containers: run it as root');
  // As in bench.js: crun under the engines needs the v1 hugetlb hierarchy here too.
  prepareHugetlbForCrun();
  const docker = startDockerd({ runtimes: { crun: which('crun') } });
  const podman = new Podman();
  try {
    podman.importImage();
    const dockerLine = (rt) => [`DOCKER_CONFIG=${quote(docker.env().DOCKER_CONFIG)}`, ...docker.dockerArgv(),
      ...docker.runArgs(['--rm'], 'true').map((a) => (a === 'ts-oci' ? rt : a))].join(' ');
    const podmanLine = (rt) => {
      podman.runtime = rt;
      return podman.commandLine(['run', '--rm', '--network', 'none', PODMAN_IMAGE, 'true']);
    };
    const commands = [
      ...RUNTIMES.map((rt) => ({ name: `docker run --rm, ${rt}`, cmd: dockerLine(rt) })),
      ...RUNTIMES.map((rt) => ({ name: `podman run --rm, ${rt}`, cmd: podmanLine(rt) })),
    ];
    const results = hyperfine(commands, docker.dir);
    console.log('\n' + table(results));
    const out = process.env.BENCH_ENGINES_JSON || path.join(repo, 'bench-engines.json');
    fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), runs, results }, null, 2) + '\n');
    console.log(`\nsaved ${out}`);
  } finally {
    podman.stop();
    await docker.stop();
    restoreHugetlb();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
