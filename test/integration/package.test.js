'use strict';
// The npm package as a user gets it: `npm pack`, then `npm install` of the
// tarball into a fresh project on a host where no compiler can run, so the
// prebuilt addon and the static helper are all there is.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync, execFileSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const { readmeExample } = require('../helpers/readme');
const { compileConsumer } = require('../helpers/types-consumer');
const { prebuildProblems } = require('../../scripts/check-prebuilds');

const platformDir = path.join(h.repo, 'prebuilds', `${process.platform}-${process.arch}`);
// What a .node may load from the host: glibc's libraries, nothing else.
const GLIBC = /^(linux-vdso\.so\.1|libc\.so\.6|libm\.so\.6|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|\/lib64\/ld-linux-x86-64\.so\.2|ld-linux-x86-64\.so\.2)$/;
const COMPILERS = ['gcc', 'g++', 'cc', 'c++', 'make', 'cmake', 'clang', 'clang++'];

describe('npm package (pack, install without a compiler, run)', function () {
  this.timeout(300000);
  let tmp;
  let tarball;
  let project;
  let installed;
  let shimLog;
  let noCompilerEnv;
  let install;

  before(() => {
    h.requirePrerequisites();
    // npm pack's prepack step would build them too; here a failure says why.
    if (prebuildProblems(h.repo).length) {
      const r = spawnSync(process.execPath, [path.join(h.repo, 'scripts/prebuild.js')], { cwd: h.repo, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`scripts/prebuild.js failed:\n${r.stdout}${r.stderr}`);
    }
    fs.mkdirSync(h.work, { recursive: true });
    tmp = fs.mkdtempSync(path.join(h.work, 'package-'));

    const pack = spawnSync('npm', ['pack', '--pack-destination', tmp], { cwd: h.repo, encoding: 'utf8' });
    if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stdout}${pack.stderr}`);
    tarball = fs.readdirSync(tmp).filter((f) => f.endsWith('.tgz')).map((f) => path.join(tmp, f))[0];

    // Every compiler and make fails loudly and leaves a trace.
    const shims = path.join(tmp, 'shims');
    shimLog = path.join(tmp, 'compiler-calls.log');
    fs.mkdirSync(shims);
    for (const c of COMPILERS) {
      fs.writeFileSync(path.join(shims, c), `#!/bin/sh\necho "${c} $*" >> ${shimLog}\nexit 1\n`, { mode: 0o755 });
    }
    noCompilerEnv = { ...process.env, PATH: `${shims}:${process.env.PATH}`, CC: '/bin/false', CXX: '/bin/false', TS_OCI_INIT: '' };
    delete noCompilerEnv.TS_OCI_INIT;

    project = path.join(tmp, 'project');
    fs.mkdirSync(project);
    // allowScripts: npm 11 skips dependency install scripts unless approved; ours must run and not compile.
    fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, allowScripts: { 'ts-oci': true } }));
    install = spawnSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts'], {
      cwd: project,
      env: noCompilerEnv,
      encoding: 'utf8',
    });
    installed = path.join(project, 'node_modules/ts-oci');
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('npm run prebuild output: one .node and the ts-oci-init helper', () => {
    expect(prebuiltAddon()).to.be.a('string');
    expect(fs.statSync(path.join(platformDir, 'ts-oci-init')).mode & 0o111).to.not.equal(0);
  });

  it('the tarball holds what install and run need, and no build or test leftovers', () => {
    expect(tarball, 'npm pack made a .tgz').to.be.a('string');
    const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, ''));
    for (const f of [
      'package.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'man/ts-oci.1',
      'bin/ts-oci',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/cli/main.js',
      'dist/cli.js',
      'dist/cli.js.cache',
      'dist/quick.js',
      'dist/quick.js.cache',
      'dist/spec/config-validator.js',
      'prebuilds/linux-x64/ts-oci.node',
      'prebuilds/linux-x64/ts-oci-init',
      'binding.gyp',
      'CMakeLists.txt',
      'native/sources.json',
      'native/common/protocol.h',
      'native/init/main.cc',
      'schema/config-schema.json',
    ]) {
      expect(files, f).to.include(f);
    }
    for (const f of files) expect(f).to.not.match(/^(build|test|node_modules|lib)\/|\.tgz$/);
  });

  it('installs from the tarball with no compiler: node-gyp-build finds the prebuild', () => {
    expect(install.status, install.stdout + install.stderr).to.equal(0);
    expect(fs.existsSync(path.join(installed, 'build'))).to.equal(false);
    // The install script itself, run again where it would have to compile without the prebuild.
    const gypBuild = require.resolve('node-gyp-build/bin.js', { paths: [installed] });
    const rerun = spawnSync(process.execPath, [gypBuild], { cwd: installed, env: noCompilerEnv, encoding: 'utf8' });
    expect(rerun.status, rerun.stdout + rerun.stderr).to.equal(0);
    expect(fs.existsSync(shimLog) ? fs.readFileSync(shimLog, 'utf8') : '').to.equal('');
  });

  it('require("ts-oci") works in the consumer project, from its node_modules', () => {
    const probe = `
      const t = require('ts-oci');
      const native = require('ts-oci/package.json') && require.resolve('ts-oci');
      console.log(JSON.stringify({ main: native, create: typeof t.Container.create, errors: typeof t.NotFoundError, spec: t.defaultSpec().ociVersion }));`;
    const r = spawnSync(process.execPath, ['-e', probe], { cwd: project, env: noCompilerEnv, encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(JSON.parse(r.stdout)).to.deep.equal({ main: path.join(installed, 'dist/index.js'), create: 'function', errors: 'function', spec: '1.3.0' });
  });

  it('the installed bin/ts-oci runs a busybox container with the prebuilt helper', () => {
    const root = h.stateRoot();
    const bundle = h.makeBundle((c) => {
      c.process.args = ['sh', '-c', 'echo hello from $(hostname); exit 3'];
      c.hostname = 'packaged';
    });
    const waiting = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
    const cliBin = path.join(project, 'node_modules/.bin/ts-oci');
    const cli = (args) => spawnSync(cliBin, ['--root', root, ...args], { cwd: project, env: noCompilerEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
    try {
      const r = cli(['run', '-b', bundle, h.uniqueId('pkg')]);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.equal('hello from packaged\n');
      expect(r.status).to.equal(3);

      const id = h.uniqueId('pkg');
      // Output to files: the created container keeps the CLI's stdio open.
      const created = spawnSync('sh', ['-c', '"$0" "$@" >/dev/null 2>&1', cliBin, '--root', root, 'create', '-b', waiting, id], { env: noCompilerEnv });
      expect(created.status).to.equal(0);
      const { pid } = JSON.parse(cli(['state', id]).stdout);
      // The sealed memfd the init runs from is a copy of the installed prebuilt helper.
      expect(sha256(`/proc/${pid}/exe`)).to.equal(sha256(path.join(installed, 'prebuilds/linux-x64/ts-oci-init')));
      expect(cli(['delete', '--force', id]).status).to.equal(0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(bundle, { recursive: true, force: true });
      fs.rmSync(waiting, { recursive: true, force: true });
    }
  });

  it('the installed types compile in a project with default tsc options and no @types/node', () => {
    const r = compileConsumer((nodeModules) => {
      fs.mkdirSync(nodeModules);
      fs.symlinkSync(installed, path.join(nodeModules, 'ts-oci'));
    });
    expect(r.errors).to.equal('');
    expect(r.status).to.equal(0);
    expect(r.files.filter((f) => f.includes('/@types/'))).to.deep.equal([]);
  });

  describe("README's library examples, exactly as printed, against the installed package", () => {
    let rootfs;
    before(() => {
      const bundle = h.makeBundle();
      rootfs = path.join(bundle, 'rootfs');
    });
    after(() => fs.rmSync(path.dirname(rootfs), { recursive: true, force: true }));

    const runExample = (name, type, file) => {
      const dir = path.join(tmp, `example-${name}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `example-${name}`, private: true, type }));
      fs.symlinkSync(path.join(project, 'node_modules'), path.join(dir, 'node_modules'));
      fs.writeFileSync(path.join(dir, file), readmeExample(name));
      return spawnSync(process.execPath, [file, rootfs], { cwd: dir, env: noCompilerEnv, encoding: 'utf8', timeout: 60000 });
    };
    const leftovers = () => (fs.existsSync('/run/ts-oci') ? fs.readdirSync('/run/ts-oci').filter((n) => n.startsWith('example-')) : []);

    it('in a CommonJS project: runs, kills, waits, deletes, and catches the NotFoundError', () => {
      const r = runExample('cjs', 'commonjs', 'example.js');
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      expect(r.stdout).to.match(/status: 'running'/);
      expect(r.stdout).to.match(/\nexit status 137\ncontainer does not exist\n$/);
      expect(leftovers()).to.deep.equal([]);
    });

    it('in an ES module project, with top-level await', () => {
      const r = runExample('esm', 'module', 'example.js');
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.equal('hello from ts-oci\nexit status 0\n');
      expect(r.status).to.equal(0);
      expect(leftovers()).to.deep.equal([]);
    });
  });

  it('the installed .node needs only glibc and ts-oci-init is static', () => {
    const addon = path.join(installed, 'prebuilds/linux-x64', path.basename(prebuiltAddon()));
    const libs = execFileSync('ldd', [addon], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0])
      .filter(Boolean);
    expect(libs).to.include('libc.so.6');
    for (const lib of libs) expect(lib, `${path.basename(addon)} needs ${lib}`).to.match(GLIBC);

    const helper = path.join(installed, 'prebuilds/linux-x64/ts-oci-init');
    const headers = execFileSync('readelf', ['-lW', helper], { encoding: 'utf8' });
    expect(headers).to.contain('LOAD');
    expect(headers).to.not.contain('INTERP');
    expect(execFileSync('readelf', ['-dW', helper], { encoding: 'utf8' })).to.not.contain('(NEEDED)');
  });
});

function prebuiltAddon() {
  if (!fs.existsSync(platformDir)) return undefined;
  const f = fs.readdirSync(platformDir).find((n) => n.endsWith('.node'));
  return f && path.join(platformDir, f);
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}
