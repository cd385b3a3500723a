'use strict';
// The CLI without root: parsing, usage errors and commands that need no container.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');

const bin = path.resolve(__dirname, '../../../bin/ts-oci');
const cli = (args, opts = {}) => spawnSync(bin, args, { encoding: 'utf8', ...opts });

describe('cli: commands that need no container', () => {
  let dir;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-cli-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--version prints runc\'s three lines: version, commit, spec', () => {
    const r = cli(['--version']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/^ts-oci version \d+\.\d+\.\d+\ncommit: ([0-9a-f]{12}(-dirty)?|unknown)\nspec: 1\.3\.0\n$/);
  });

  it('--help works for every command', () => {
    for (const c of ['create', 'start', 'run', 'state', 'kill', 'delete', 'list', 'spec', 'features', 'exec']) {
      const r = cli([c, '--help']);
      expect(r.status, c).to.equal(0);
      expect(r.stdout, c).to.match(new RegExp(`^Usage: ts-oci ${c}`));
    }
  });

  it('spec writes runc\'s default config with empty inheritable capabilities, once', () => {
    expect(cli(['spec', '--bundle', dir]).status).to.equal(0);
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(config.ociVersion).to.equal('1.3.0');
    expect(config.process.capabilities.inheritable ?? []).to.deep.equal([]);
    expect(config.process.capabilities.ambient ?? []).to.deep.equal([]);
    expect(config.root).to.deep.equal({ path: 'rootfs', readonly: true });
    const again = cli(['spec', '--bundle', dir]);
    expect(again.status).to.equal(1);
    expect(again.stderr).to.contain('exists. Remove it first');
  });

  it('features is valid against the spec\'s features schema and honest', () => {
    const r = cli(['features']);
    expect(r.status).to.equal(0);
    const features = JSON.parse(r.stdout);
    const Ajv = require('ajv');
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    const schemaDir = path.resolve(__dirname, '../../../schema');
    for (const f of fs.readdirSync(schemaDir)) ajv.addSchema(JSON.parse(fs.readFileSync(path.join(schemaDir, f), 'utf8')), f);
    const validate = ajv.getSchema('features-schema.json');
    expect(validate(features), JSON.stringify(validate.errors)).to.equal(true);
    expect(features.linux.namespaces).to.include('user');
    // This host has libseccomp (CI installs it) and a kernel with every action.
    expect(features.linux.seccomp.enabled).to.equal(true);
    expect(features.linux.seccomp.actions).to.include('SCMP_ACT_NOTIFY');
    expect(features.linux.seccomp.archs).to.include.members(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(features.linux.capabilities).to.include('CAP_SYS_ADMIN');
    // Built in (the LSMs are applied where the host has them); Intel RDT is refused.
    expect(features.linux.apparmor.enabled).to.equal(true);
    expect(features.linux.selinux.enabled).to.equal(true);
    expect(features.linux.netDevices.enabled).to.equal(true);
    expect(features.linux.intelRdt.enabled).to.equal(false);
    expect(features.linux.cgroup.rdma).to.equal(true);
    // Docker (25+) asks for "rro" before it makes a read-only bind mount recursively read-only.
    expect(features.mountOptions).to.include.members(['rro', 'rbind', 'ro']);
  });

  it('state, list and spec never load the native addon', () => {
    const r = spawnSync(process.execPath, ['-e', `
      const m = require('module'); const orig = m._load;
      m._load = function (req, ...rest) { if (/\\.node$|node-gyp-build/.test(req)) throw new Error('addon loaded'); return orig.call(this, req, ...rest); };
      require(${JSON.stringify(path.resolve(__dirname, '../../../dist/cli/main.js'))}).main(['--root', ${JSON.stringify(dir)}, 'list', '--format', 'json']).then((c) => process.exit(c));
    `], { encoding: 'utf8' });
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.equal('[]\n');
  });

  it('a create whose addon cannot load fails with one line and leaves no state directory', () => {
    const bundle = path.join(dir, 'bundle');
    fs.mkdirSync(path.join(bundle, 'rootfs'), { recursive: true });
    const { defaultSpec } = require('../../../dist/spec/default');
    const spec = defaultSpec({ args: ['true'] });
    spec.process.terminal = false;
    fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(spec));
    const root = path.join(dir, 'root');
    const r = spawnSync(process.execPath, ['-e', `
      const m = require('module'); const orig = m._load;
      m._load = function (req, ...rest) { if (/\\.node$|node-gyp-build/.test(req)) throw new Error('no addon here'); return orig.call(this, req, ...rest); };
      require(${JSON.stringify(path.resolve(__dirname, '../../../dist/cli/main.js'))}).main(['--root', ${JSON.stringify(root)}, 'create', '-b', ${JSON.stringify(bundle)}, 'c1']).then((c) => process.exit(c));
    `], { encoding: 'utf8' });
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal('ts-oci: create c1: no addon here\n');
    expect(fs.readdirSync(root)).to.deep.equal([]);
  });

  it('usage errors exit 2 with one line', () => {
    const r = cli(['--root', dir, 'kill']);
    expect(r.status).to.equal(2);
    expect(r.stderr.trim().split('\n')).to.have.length(1);
    expect(r.stderr).to.match(/^ts-oci: missing required argument 'id'/);
  });

  it('a state of an unknown id says "does not exist" and exits 1', () => {
    const r = cli(['--root', dir, 'state', 'nope']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal('ts-oci: state nope: container does not exist\n');
  });

  it('exec that fails exits 255 as runc\'s "exec failed" (not the process\'s 1); a usage error is still 2', () => {
    const r = cli(['--root', dir, 'exec', 'nope', 'true']);
    expect(r.status).to.equal(255);
    expect(r.stderr).to.equal('ts-oci: exec nope: container does not exist\n');
    expect(cli(['--root', dir, 'exec', '--preserve-fds']).status).to.equal(2);
  });

  it('delete of an unknown id: "does not exist" and 1; with --force nothing and 0 (as runc)', () => {
    const r = cli(['--root', dir, 'delete', 'nope']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal('ts-oci: delete nope: container does not exist\n');
    const log = path.join(dir, 'log.json');
    const forced = cli(['--root', dir, '--log', log, '--log-format', 'json', 'delete', '--force', 'nope']);
    expect(forced.status).to.equal(0);
    expect(forced.stderr).to.equal('');
    expect(fs.existsSync(log)).to.equal(false);
  });
});
