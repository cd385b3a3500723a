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

  it('renders without warnings (groff)', () => {
    const r = spawnSync('groff', ['-man', '-Tutf8', '-ww', '-z', manPath], { encoding: 'utf8' });
    expect(r.error).to.equal(undefined);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });
});
