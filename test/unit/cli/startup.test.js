'use strict';
// The commands that must start as fast as Node itself load neither the addon
// nor the schema validator (nor ajv): checked from require.cache at exit of
// a real `bin/ts-oci` process.
const { expect } = require('chai');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');

const repo = path.resolve(__dirname, '../../..');
const bin = path.join(repo, 'bin/ts-oci');
// node runs the bin file itself: for node, its sh line is a string and a comment.
const binJs = bin;

describe('CLI start-up: what the quick commands load', () => {
  let tmp;
  let sleeper;
  let dumps = 0;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-startup-'));
    fs.writeFileSync(path.join(tmp, 'dump.js'),
      `process.on('exit', () => require('fs').writeFileSync(process.env.DUMP, JSON.stringify({ files: Object.keys(require.cache), builtins: process.moduleLoadList })));\n`);
    // A recorded "running" container: its init is a sleep of ours (start time checked like any other).
    sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' });
    const stat = fs.readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
    const startTime = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3]);
    const dir = path.join(tmp, 'root', 'c1');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify({
      ociVersion: '1.3.0', id: 'c1', status: 'running', pid: sleeper.pid, bundle: tmp,
      created: new Date().toISOString(), startTime, startSteps: {},
    }));
  });
  after(() => {
    sleeper.kill('SIGKILL');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function loadedBy(args) {
    const dump = path.join(tmp, `loaded-${++dumps}.json`);
    const r = spawnSync(process.execPath, ['-r', path.join(tmp, 'dump.js'), binJs, '--root', path.join(tmp, 'root'), ...args], {
      encoding: 'utf8',
      env: { ...process.env, DUMP: dump },
    });
    const { files, builtins } = JSON.parse(fs.readFileSync(dump, 'utf8'));
    return { r, loaded: files.filter((f) => f !== path.join(tmp, 'dump.js')), builtins };
  }

  const heavy = (files) => files.filter((f) => /\.node$|config-validator|node_modules\/ajv\//.test(f));

  for (const args of [['--help'], ['--version'], ['list'], ['state', 'c1'], ['state', 'nope'], ['kill', 'nope', 'KILL'], ['list', '--format', 'json']]) {
    it(`${args.join(' ')} loads neither the addon nor the validator`, () => {
      const { r, loaded } = loadedBy(args);
      expect(r.signal).to.equal(null);
      expect(heavy(loaded)).to.deep.equal([]);
    });
  }

  for (const args of [['--version'], ['list'], ['state', 'c1']]) {
    it(`${args.join(' ')} loads neither child_process nor crypto (a few ms each; scripts/bundle-cli.js)`, () => {
      const { r, builtins } = loadedBy(args);
      expect(r.status, r.stderr).to.equal(0);
      expect(builtins.filter((m) => /^NativeModule (child_process|crypto)$/.test(m))).to.deep.equal([]);
    });
  }

  for (const args of [['--help'], ['help', 'run'], ['--version'], ['list'], ['state', 'c1'], ['state', 'nope'], ['kill', 'nope', 'KILL']]) {
    it(`${args.join(' ')} never touches process.stdout or process.stderr (their first use loads Node's streams)`, () => {
      const { r, builtins } = loadedBy(args);
      expect(r.stdout + r.stderr).to.not.equal('');
      expect(builtins.filter((m) => /^NativeModule (stream|tty|internal\/fs\/sync_write_stream)$/.test(m))).to.deep.equal([]);
    });
  }

  it('the streams check can fail: a script that writes through process.stdout loads them', () => {
    const r = spawnSync(process.execPath, ['-e', `process.stdout.write('x'); require('fs').writeSync(2, JSON.stringify(process.moduleLoadList))`], { encoding: 'utf8' });
    expect(JSON.parse(r.stderr)).to.include('NativeModule stream');
  });

  it('a command that spawns still gets the real child_process through the lazy one', () => {
    const { r, builtins } = loadedBy(['ps', 'c1']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/PID/);
    expect(builtins).to.include('NativeModule child_process');
  });

  it('state of a live container really ran (the check above is not vacuous), from the one quick bundle', () => {
    const { r, loaded } = loadedBy(['state', 'c1']);
    expect(r.status, r.stderr).to.equal(0);
    expect(JSON.parse(r.stdout)).to.include({ id: 'c1', status: 'running', pid: sleeper.pid });
    // One file of ours (dist/quick.js, through its loader) instead of ~40 modules resolved one by one.
    expect(loaded.filter((f) => f.startsWith(path.join(repo, 'dist')))).to.deep.equal([
      path.join(repo, 'dist/code-cache.js'), path.join(repo, 'dist/quick.js'),
    ]);
  });

  it('create loads the validator (the check can fail)', () => {
    const bundle = path.join(tmp, 'bundle');
    fs.mkdirSync(bundle, { recursive: true });
    fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify({ ociVersion: '1.3.0', process: 'not an object' }));
    const { r, loaded } = loadedBy(['create', '-b', bundle, 'c2']);
    expect(r.status).to.not.equal(0);
    expect(heavy(loaded).some((f) => /config-validator/.test(f))).to.equal(true);
  });

  for (const rel of ['dist/cli.js', 'dist/quick.js', 'dist/spec/config-validator.js']) {
    it(`the build leaves a V8 code cache of ${rel} that this Node accepts, made after a warm-up; a bad cache only costs the compile`, () => {
      const vm = require('vm');
      const Module = require('module');
      const file = path.join(repo, rel);
      const source = Module.wrap(fs.readFileSync(file, 'utf8'));
      const cache = fs.readFileSync(`${file}.cache`);
      const good = new vm.Script(source, { filename: file, cachedData: cache });
      expect(good.cachedDataRejected).to.equal(false);
      const bad = new vm.Script(source, { filename: file, cachedData: Buffer.from('not a code cache') });
      expect(bad.cachedDataRejected).to.equal(true);
      // Compiled but never run: only the top level (a changed source, so V8 compiles it afresh).
      // The build's cache holds the functions its warm-up ran too.
      const topLevelOnly = new vm.Script(`${source}\n// top level only`, { filename: file }).createCachedData();
      expect(cache.length).to.be.greaterThan(topLevelOnly.length * 1.5);
    });
  }

  for (const [bundle, call] of [['dist/quick.js', 'quickMain'], ['dist/cli.js', 'main']]) {
    it(`${bundle}'s code cache was made from this very source (V8 only checks the length: a stale one runs old code)`, () => {
      const file = path.join(repo, bundle);
      const run = (load) => spawnSync(process.execPath, ['-e',
        `${load}.${call}(['--version']).then((c) => { process.exitCode = c; })`], { encoding: 'utf8' });
      const cached = run(`require(${JSON.stringify(path.join(repo, 'dist/code-cache.js'))}).requireWithCodeCache(${JSON.stringify(file)})`);
      const fresh = run(`require(${JSON.stringify(file)})`);
      expect(cached.status, cached.stderr).to.equal(0);
      expect(cached.stdout).to.match(/^ts-oci version .*\ncommit: \S+\n/);
      expect(cached.stdout).to.equal(fresh.stdout);
    });
  }

  it('the bin script drops NODE_EXTRA_CA_CERTS before node starts (node would warn about the missing file)', () => {
    const r = spawnSync(bin, ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(tmp, 'missing.pem') } });
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/^ts-oci version /);
    expect(r.stderr).to.not.include('extra certs');
    const direct = spawnSync(process.execPath, ['-e', '0'], { encoding: 'utf8', env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(tmp, 'missing.pem') } });
    expect(direct.stderr, 'node itself warns: the check above can fail').to.include('extra certs');
  });
});
