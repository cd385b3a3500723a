#!/usr/bin/env node
'use strict';
// Writes dist/cli.js.cache, dist/quick.js.cache and
// dist/spec/config-validator.js.cache, V8's code caches of the CLI bundles
// and the schema validator (dist/code-cache.js loads them), after running
// what needs no container: the commands below, the create path's decisions
// (lib/cli/warm-up.ts), and the validator over the default config. V8
// compiles a function when it first runs, and a cache made right after the
// top level holds only the top level: every start then compiled
// commander's parser, the store and the command it ran. Made after these
// runs, the caches carry those functions too.
// Run by scripts/bundle-cli.js in a child process with stdout discarded: the
// commands print as they would for a user. Everything happens under a
// temporary --root and bundle, removed at the end; nothing is created as root
// (the create below fails on its config before anything is made).
const fs = require('fs');
const os = require('os');
const path = require('path');

const dist = path.resolve(__dirname, '..', 'dist');
const { requireWithCodeCache, saveCodeCaches } = require(path.join(dist, 'code-cache.js'));

/** Commands that read or print but never make a container. */
function warmUps(tmp) {
  const root = path.join(tmp, 'root');
  const spec = path.join(tmp, 'spec');
  const broken = path.join(tmp, 'broken');
  fs.mkdirSync(spec);
  fs.mkdirSync(broken);
  fs.writeFileSync(path.join(broken, 'config.json'), JSON.stringify({ ociVersion: '1.3.0', process: 'not an object' }));
  return [
    ['--version'],
    ['--help'],
    ['help', 'run'],
    ['--root', root, 'list'],
    ['--root', root, 'list', '--format', 'json'],
    ['--root', root, 'state', 'absent'],
    ['--root', root, 'kill', 'absent', 'KILL'],
    ['--root', root, 'delete', '--force', 'absent'],
    ['--root', root, 'start', 'absent'],
    ['spec', '--bundle', spec],
    ['--root', root, 'create', '--bundle', broken, 'absent'],
    ['--root', root, 'run', '--bundle', broken, 'absent'],
  ];
}

/** What dist/quick.js takes (lib/cli/quick.ts); each must be taken, not left to the whole CLI. */
function quickWarmUps(tmp) {
  const root = path.join(tmp, 'root');
  return [
    ['--version'],
    ['--root', root, 'list'],
    ['--root', root, 'list', '--format', 'json'],
    ['--root', root, 'list', '-q'],
    ['--root', root, 'state', 'absent'],
    ['--root', root, 'kill', 'absent', 'KILL'],
  ];
}

/**
 * V8 accepts a code cache for any source of the same length: a cache left
 * by the previous build would be loaded here, its stale code run and saved
 * again (a new commit in `--version` is the same length; so can be a code
 * change). Every cache is made from a fresh compile.
 */
function removeOldCaches() {
  for (const file of ['cli.js', 'quick.js', path.join('spec', 'config-validator.js')]) {
    fs.rmSync(path.join(dist, `${file}.cache`), { force: true });
  }
}

async function main() {
  removeOldCaches();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-warm-'));
  try {
    const quick = requireWithCodeCache(path.join(dist, 'quick.js'));
    for (const args of quickWarmUps(tmp)) {
      const done = quick.quickMain(args);
      if (!done) throw new Error(`dist/quick.js left ${args.join(' ')} to the whole CLI`);
      await done;
    }
    const cli = requireWithCodeCache(path.join(dist, 'cli.js'));
    for (const args of warmUps(tmp)) await cli.main(args);
    // Best effort: a build host without cgroups still gets a working (colder) cache.
    try {
      cli.warmUpCreatePath(tmp);
    } catch (e) {
      console.error(`warm-code-cache: the create path is not warmed (${e.message})`);
    }
    const { validatorFile } = require(path.join(dist, 'spec', 'load.js'));
    const { defaultSpec } = require(path.join(dist, 'spec', 'default.js'));
    if (!requireWithCodeCache(validatorFile).default(defaultSpec())) throw new Error('the default config fails the schema');
    const saved = saveCodeCaches();
    if (saved.length !== 3) throw new Error(`expected the two bundles and the validator, compiled: ${saved.join(' ')}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(() => { process.exitCode = 0; }, (e) => {
  console.error(e);
  process.exitCode = 1;
});
