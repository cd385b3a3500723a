'use strict';
// One Node process, N containers through the library API: the per-container
// cost without Node's start-up. Prints {"medianMs": x}.
const path = require('path');
const { Container } = require(path.resolve(__dirname, '../dist/index.js'));

async function main() {
  const [bundle, root, n] = process.argv.slice(2);
  const times = [];
  for (let i = 0; i < Number(n); i++) {
    const t0 = process.hrtime.bigint();
    const c = await Container.create({ id: `bench-lib-${i}`, bundle, root });
    await c.start();
    await c.wait();
    await c.delete();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(JSON.stringify({ medianMs: times[Math.floor(times.length / 2)] }));
}

main().catch((e) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
