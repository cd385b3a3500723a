'use strict';
// What a new user sees from the CLI before any container exists: help with
// no arguments, `help <command>`, a hint for global flags after the command,
// debug lines with --debug alone, and the hint that non-root needs root.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');

const bin = path.resolve(__dirname, '../../../bin/ts-oci');
const cli = (args, opts = {}) => spawnSync(bin, args, { encoding: 'utf8', ...opts });
const { buildProgram } = require('../../../dist/cli/program');
const { permissionHint } = require('../../../dist/cli/hints');

describe('cli: help, hints and debug output', () => {
  let dir;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-help-'))));
  afterEach(() => {
    fs.chmodSync(dir, 0o700);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('no arguments: the help on stdout, exit 0 (as runc)', () => {
    const r = cli([]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/^Usage: ts-oci \[options\] \[command\]\n/);
    expect(r.stdout).to.equal(cli(['--help']).stdout);
    // Global flags and no command: the same.
    expect(cli(['--root', dir]).stdout).to.equal(r.stdout);
  });

  it('help <command> prints that command\'s --help; every command is listed', () => {
    const { program } = buildProgram();
    const names = program.commands.map((c) => c.name());
    expect(names).to.include.members(['create', 'run', 'list', 'help', 'completion']);
    const top = cli(['help']).stdout;
    for (const name of names) {
      const r = cli(['help', name]);
      expect(r.status, name).to.equal(0);
      expect(r.stdout, name).to.equal(cli([name, '--help']).stdout);
      expect(top, name).to.match(new RegExp(`^  ${name}\\b`, 'm'));
    }
  });

  it('help of an unknown command is a usage error naming it', () => {
    const r = cli(['help', 'nosuch']);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal("ts-oci: help: unknown command 'nosuch'\n");
  });

  it('a global flag after the command says that global flags go first', () => {
    const r = cli(['list', '--root', dir]);
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal("ts-oci: unknown option '--root' (global flags go before the command: ts-oci --root <dir> list ...)\n");
    const debug = cli(['state', 'c1', '--debug']);
    expect(debug.stderr).to.equal("ts-oci: unknown option '--debug' (global flags go before the command: ts-oci --debug state ...)\n");
    // A flag no level knows keeps commander's plain message.
    expect(cli(['list', '--nope']).stderr).to.equal("ts-oci: unknown option '--nope'\n");
  });

  it('--debug alone prints debug lines on stderr (runc\'s logrus format); with --log they go to the log only', () => {
    const r = cli(['--debug', '--root', dir, 'list', '-q']);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.match(/^time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z" level=debug msg="ts-oci \d+\.\d+\.\d+: list, root [^"]+"\n/);
    const log = path.join(dir, 'log');
    const logged = cli(['--debug', '--log', log, '--log-format', 'json', '--root', dir, 'list', '-q']);
    expect(logged.stderr).to.equal('');
    const lines = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).to.include({ level: 'debug' });
    expect(lines[0].msg).to.match(/: list, root /);
    expect(cli(['--root', dir, 'list', '-q']).stderr).to.equal('');
  });

  it('as an ordinary user, EACCES says that ts-oci needs root', () => {
    // Run as nobody when the tests run as root; a mode-000 root is unreadable either way.
    const asUser = process.getuid() === 0 ? { uid: 65534, gid: 65534 } : {};
    fs.chmodSync(dir, 0o755);
    const root = path.join(dir, 'root');
    fs.mkdirSync(root, { mode: 0o000 });
    const r = cli(['--root', root, 'list'], asUser);
    fs.chmodSync(root, 0o700);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(
      `ts-oci: list: EACCES: permission denied, scandir '${root}' (ts-oci needs root for this: run it as root, or rootless with a user namespace in config.json (ts-oci spec --rootless) and a --root you may write)\n`,
    );
  });

  it('permissionHint: only EACCES/EPERM (direct or as the cause), only when not root', () => {
    const hint = ' (ts-oci needs root for this: run it as root, or rootless with a user namespace in config.json (ts-oci spec --rootless) and a --root you may write)';
    expect(permissionHint({ code: 'EACCES' }, 1000)).to.equal(hint);
    expect(permissionHint({ code: 'EPERM' }, 1000)).to.equal(hint);
    expect(permissionHint(Object.assign(new Error('x'), { cause: { code: 'EPERM' } }), 1000)).to.equal(hint);
    expect(permissionHint({ code: 'EPERM' }, 0)).to.equal('');
    expect(permissionHint({ code: 'ENOENT' }, 1000)).to.equal('');
    expect(permissionHint(undefined, 1000)).to.equal('');
  });
});
