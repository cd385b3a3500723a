'use strict';
// The first ten minutes, from a fresh copy of the repository (what git
// tracks, no build, no prebuilds): `npm pack` refuses to make a tarball
// without prebuilds it cannot build, and `npm run demo` runs a container
// with no compiler when prebuilds are there, or asks apt for the toolchain
// when they are not. node_modules is shared with this checkout (the registry
// is not part of the test).
const fs = require('fs');
const path = require('path');
const { spawnSync, execFileSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const { prebuildProblems } = require('../../scripts/check-prebuilds');

const platform = `${process.platform}-${process.arch}`;
const COMPILERS = ['gcc', 'g++', 'cc', 'c++', 'make', 'cmake', 'clang', 'clang++', 'python3'];

/** The repository's files as a fresh clone has them, plus uncommitted ones. */
function freshCopy(dest) {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: h.repo, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && fs.existsSync(path.join(h.repo, f)));
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(dest, f)), { recursive: true });
    fs.copyFileSync(path.join(h.repo, f), path.join(dest, f));
    fs.chmodSync(path.join(dest, f), fs.statSync(path.join(h.repo, f)).mode);
  }
  fs.symlinkSync(path.join(h.repo, 'node_modules'), path.join(dest, 'node_modules'));
}

/** A PATH directory whose `names` fail and log each call to `log`. */
function shimDir(dir, names, log) {
  fs.mkdirSync(dir, { recursive: true });
  for (const n of names) fs.writeFileSync(path.join(dir, n), `#!/bin/sh\necho "${n} $*" >> ${log}\nexit 1\n`, { mode: 0o755 });
  return dir;
}

const readLog = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');

describe('new user: first run, from a fresh copy of the repository', function () {
  this.timeout(300000);
  let tmp;
  before(() => {
    h.requirePrerequisites();
    if (prebuildProblems(h.repo).length) {
      const r = spawnSync(process.execPath, [path.join(h.repo, 'scripts/prebuild.js')], { cwd: h.repo, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`scripts/prebuild.js failed:\n${r.stdout}${r.stderr}`);
    }
    fs.mkdirSync(h.work, { recursive: true });
    tmp = fs.mkdtempSync(path.join(h.work, 'new-user-'));
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('--debug alone: the runtime\'s debug lines on stderr, the container\'s output untouched', () => {
    const root = h.stateRoot();
    try {
      const bundle = h.makeBundle((c) => (c.process.args = ['echo', 'hello']));
      const r = h.cli(root, ['--debug', 'run', '-b', bundle, h.uniqueId('debug')]);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.equal('hello\n');
      const lines = r.stderr.split('\n').filter(Boolean);
      // runc's format when there is no --log: logrus text lines.
      for (const l of lines) expect(l).to.match(/^time="[^"]+Z" level=debug msg=".*"$/);
      expect(lines.some((l) => /level=debug msg="plan: clone flags 0x[0-9a-f]+, \d+ steps: /.test(l)), r.stderr).to.equal(true);
      expect(lines.some((l) => /level=debug msg="init pid \d+"$/.test(l)), r.stderr).to.equal(true);
    } finally {
      h.cleanup(root);
    }
  });

  it('npm pack with no prebuilds and no compiler refuses, and makes no tarball', () => {
    const copy = path.join(tmp, 'pack');
    freshCopy(copy);
    const log = path.join(tmp, 'pack-compilers.log');
    const shims = shimDir(path.join(tmp, 'pack-shims'), COMPILERS, log);
    const env = { ...process.env, PATH: `${shims}:${process.env.PATH}`, CC: '/bin/false', CXX: '/bin/false' };
    const r = spawnSync('npm', ['pack', '--pack-destination', tmp], { cwd: copy, env, encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).to.not.equal(0);
    expect(r.stderr).to.contain(`prepack: refusing to pack without current prebuilds: prebuilds/${platform}/ts-oci.node is missing`);
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith('.tgz'))).to.deep.equal([]);
    expect(r.stderr, 'it tried to build them first').to.contain('prepack: scripts/prebuild.js failed');
  });

  it('npm run demo with prebuilds and no compiler: runs the container, compiles and installs nothing', () => {
    const copy = path.join(tmp, 'demo');
    freshCopy(copy);
    fs.cpSync(path.join(h.repo, 'prebuilds', platform), path.join(copy, 'prebuilds', platform), { recursive: true });
    const log = path.join(tmp, 'demo-calls.log');
    const shims = shimDir(path.join(tmp, 'demo-shims'), [...COMPILERS, 'apt-get'], log);
    const env = { ...process.env, PATH: `${shims}:${process.env.PATH}`, CC: '/bin/false', CXX: '/bin/false' };
    const r = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: copy, env, encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    // Before the container's two lines: the TypeScript build's output.
    expect(r.stdout).to.match(/\nHello from ts-oci: ts-oci-demo, pid 1, uid=0\(root\) gid=0\(root\)\nmemory limit: 67108864\n$/);
    expect(r.status).to.equal(0);
    expect(readLog(log)).to.equal('');
    expect(fs.existsSync(path.join(copy, 'build'))).to.equal(false);
  });

  it('npm run demo with no prebuilds and no toolchain installed: asks apt for g++, make and python3 first', () => {
    const copy = path.join(tmp, 'toolchain');
    freshCopy(copy);
    // A PATH with every installed program but the toolchain, and an apt-get that only logs.
    const bin = path.join(tmp, 'no-toolchain-bin');
    fs.mkdirSync(bin);
    for (const dir of ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin']) {
      if (!fs.existsSync(dir)) continue;
      for (const name of fs.readdirSync(dir)) {
        const toolchain = COMPILERS.includes(name) || /^(python3|g\+\+|gcc|x86_64-linux-gnu-)/.test(name);
        if (toolchain || name === 'apt-get' || fs.existsSync(path.join(bin, name))) continue;
        fs.symlinkSync(path.join(dir, name), path.join(bin, name));
      }
    }
    const log = path.join(tmp, 'apt.log');
    fs.writeFileSync(path.join(bin, 'apt-get'), `#!/bin/sh\necho "apt-get $*" >> ${log}\n`, { mode: 0o755 });
    const env = { ...process.env, PATH: bin, CC: '', CXX: '' };
    const r = spawnSync('npm', ['run', '--silent', 'demo'], { cwd: copy, env, encoding: 'utf8' });
    expect(r.stderr).to.contain('demo: installing g++ make python3');
    expect(readLog(log)).to.match(/^apt-get update -qq\napt-get install -y -qq g\+\+ make python3\n/);
    // The stub installed nothing, so the build that follows fails: the demo stops there.
    expect(r.status).to.not.equal(0);
    expect(r.stdout).to.not.contain('Hello from ts-oci');
  });
});
