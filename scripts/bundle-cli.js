#!/usr/bin/env node
'use strict';
// Bundles the CLI (dist/cli/main.js and everything it requires, commander
// included) into dist/cli.js: one file to read and compile instead of ~40
// module resolutions at every start. Modules the commands load lazily stay
// lazy (esbuild evaluates a bundled CommonJS module at its first require).
// Left out, loaded from dist/ when needed: the generated schema validator
// (240 kB that only create/run/exec/spec need), the addon (node-gyp-build)
// and dist/code-cache.js. The git commit of the checkout is compiled in for
// `--version`. A second, small bundle, dist/quick.js, holds the quick
// commands (lib/cli/quick.ts) without commander. Then
// scripts/warm-code-cache.js writes the V8 code caches of both bundles and
// of the validator (dist/code-cache.js loads them).
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const esbuild = require('esbuild');

const dist = path.resolve(__dirname, '..', 'dist');
const bundle = path.join(dist, 'cli.js');

/**
 * dist/code-cache.js stays a file of its own: bin/ts-oci loads the bundle
 * through it, and the bundle loads the schema validator through it, so both
 * share its record of compiled scripts (scripts/warm-code-cache.js).
 */
const codeCacheStaysOutside = {
  name: 'code-cache-stays-outside',
  setup(build) {
    build.onResolve({ filter: /\/code-cache$/ }, () => ({ path: './code-cache.js', external: true }));
  },
};

// Node builtins that cost a few ms each to load (child_process pulls in net,
// dgram and the streams) but that most commands never call: commander
// requires child_process at its top for executable subcommands we do not
// have. Each becomes a module of getters that loads the real one at the
// first property access, so a command pays for it only when it spawns a
// process.
const LAZY_BUILTINS = ['child_process'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`);
    build.onResolve({ filter }, (args) => (args.namespace === 'lazy-builtin'
      ? { path: args.path, external: true } // the getters' own require: the real module
      : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => {
      const names = Object.keys(require(args.path));
      const getters = names.map((n) => `  ${JSON.stringify(n)}: { enumerable: true, get: () => load()[${JSON.stringify(n)}] },`);
      return {
        loader: 'js',
        contents: `let real;\nconst load = () => real || (real = require(${JSON.stringify(`node:${args.path}`)}));\n` +
          `module.exports = Object.defineProperties({}, {\n${getters.join('\n')}\n});\n`,
      };
    });
  },
};

/** The bundles' code caches, made after they ran what needs no container (scripts/warm-code-cache.js). */
function writeCodeCache() {
  const warm = spawnSync(process.execPath, [path.join(__dirname, 'warm-code-cache.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  if (warm.status !== 0) throw new Error(`warm-code-cache.js failed (${warm.status ?? warm.signal}):\n${warm.stderr}`);
  // Its own notes; the rest of its stderr is the warm-up commands' expected errors.
  for (const line of warm.stderr.split('\n')) if (line.startsWith('warm-code-cache:')) console.error(line);
}

/** The commit `ts-oci --version` names, as runc's `commit:` line: git's, with -dirty for local changes. */
function gitCommit() {
  const git = (...args) => spawnSync('git', args, { cwd: path.join(dist, '..'), encoding: 'utf8' });
  const head = git('rev-parse', '--short=12', 'HEAD');
  if (head.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no');
  return head.stdout.trim() + (dirty.status === 0 && dirty.stdout.trim() ? '-dirty' : '');
}

const commit = gitCommit();

/** One bundle: an entry point of dist/ and everything it requires. */
function bundleOf(entry, outfile, define = {}) {
  return esbuild.build({
    entryPoints: [path.join(dist, ...entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Whitespace and syntax only: names stay as written, for stack traces;
    // a third less source to read and hash at every start (~0.5 ms).
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
    plugins: [codeCacheStaysOutside, lazyBuiltins],
    // Loaded only by the systemd cgroup driver, from node_modules: no cost to a cgroupfs start.
    external: ['dbus-next'],
    define: { TS_OCI_COMMIT: JSON.stringify(commit), ...define },
  });
}

/** The whole program's help as commander renders it (the same whoever runs it: lib/cli/globals.ts). */
function programHelp() {
  const { buildProgram } = require(path.join(dist, 'cli', 'program.js'));
  return buildProgram().program.helpInformation();
}

// dist/quick.js: every command but create, run and exec, without commander
// (lib/cli/quick.ts); bin/ts-oci tries it before the whole CLI.
Promise.all([
  bundleOf(['cli', 'main.js'], bundle),
  bundleOf(['cli', 'quick.js'], path.join(dist, 'quick.js'), { TS_OCI_HELP: JSON.stringify(programHelp()) }),
]).then(writeCodeCache).catch((e) => {
  console.error(e);
  process.exit(1);
});
