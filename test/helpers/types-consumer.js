'use strict';
// Compiles test/types/defaults/consumer.ts as a user's project would: in a
// directory outside the repository (so no node_modules/@types of ours is in
// reach), no tsconfig, TypeScript's default options.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const repo = path.resolve(__dirname, '../..');
const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');
const consumer = path.join(repo, 'test/types/defaults/consumer.ts');

/**
 * `install(nodeModules)` puts a ts-oci package into the project's
 * node_modules; returns tsc's exit status, output and the files it read.
 */
function compileConsumer(install) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-consumer-'));
  try {
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    fs.copyFileSync(consumer, path.join(dir, 'consumer.ts'));
    install(path.join(dir, 'node_modules'));
    const r = spawnSync(process.execPath, [tsc, '--noEmit', '--listFiles', 'consumer.ts'], { cwd: dir, encoding: 'utf8' });
    const lines = r.stdout.split('\n').filter(Boolean);
    return {
      status: r.status,
      errors: lines.filter((l) => / error TS\d+:/.test(l)).join('\n') + r.stderr,
      files: lines.filter((l) => l.startsWith('/')),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { compileConsumer };
