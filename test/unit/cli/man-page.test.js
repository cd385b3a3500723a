'use strict';
// man/ts-oci.1 is generated at build time from the same commander
// definitions as --help; the one the package ships must be current.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const { render, manPath } = require('../../../scripts/gen-man');
const { buildProgram } = require('../../../dist/cli/program');

const repo = path.resolve(__dirname, '../../..');

describe('cli: man page', () => {
  it('man/ts-oci.1 is what the command definitions generate now (npm run build:ts writes it)', () => {
    expect(fs.existsSync(manPath), 'man/ts-oci.1 missing: run npm run build:ts').to.equal(true);
    expect(fs.readFileSync(manPath, 'utf8') === render(), 'man/ts-oci.1 is stale: run npm run build:ts').to.equal(true);
  });

  it('documents every command and every flag, and is shipped', () => {
    const text = fs.readFileSync(manPath, 'utf8');
    const roff = (s) => s.replace(/-/g, '\\-');
    const { program } = buildProgram();
    for (const o of program.options) expect(text, o.long).to.contain(`.B ${roff(o.flags.split(/ [<[]/)[0])}`);
    for (const c of program.commands) {
      expect(text, c.name()).to.contain(`.SS "ts\\-oci ${roff(c.name())} `);
      for (const o of c.options) expect(text, `${c.name()} ${o.long}`).to.contain(roff(o.long));
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
    expect(pkg.files).to.include('man/');
    expect(pkg.man).to.equal('./man/ts-oci.1');
  });

  it('is the same whoever builds it: an ordinary user\'s $XDG_RUNTIME_DIR is not the default it documents', () => {
    // npm pack runs the build as whoever packs; the shipped page must not carry their runtime dir.
    const asUser = process.getuid() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, [path.join(repo, 'scripts/gen-man.js'), '--print'], {
      encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: '/run/user/4242', USER: 'someone' }, ...asUser,
    });
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.not.contain('/run/user/4242');
    expect(r.stdout === fs.readFileSync(manPath, 'utf8'), 'the page differs when an ordinary user builds it').to.equal(true);
  });

  it('prints no empty default for a repeatable flag', () => {
    const text = fs.readFileSync(manPath, 'utf8');
    expect(text).to.not.match(/\(default: \)/);
    expect(text).to.contain('set an environment variable (repeatable; overrides the container\'s)\n');
  });

  it('renders without warnings (groff)', () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', manPath], { encoding: 'utf8' });
    expect(r.error).to.equal(undefined);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });
});
