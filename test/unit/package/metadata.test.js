'use strict';
// What npm and a registry page show a new user: license text, where the code
// and the bug tracker live, what changed.
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');

const repo = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

describe('package metadata', () => {
  it('LICENSE holds the full Apache-2.0 text that package.json names', () => {
    expect(pkg.license).to.equal('Apache-2.0');
    const text = fs.readFileSync(path.join(repo, 'LICENSE'), 'utf8');
    expect(text).to.match(/^\s*Apache License\s+Version 2\.0, January 2004/);
    expect(text).to.contain('TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION');
    expect(text).to.contain('9. Accepting Warranty or Additional Liability.');
    expect(text).to.contain('END OF TERMS AND CONDITIONS');
  });

  it('repository, homepage and bugs point at the project', () => {
    expect(pkg.repository).to.deep.equal({ type: 'git', url: 'git+https://github.com/ts-oci/ts-oci.git' });
    expect(pkg.homepage).to.equal('https://github.com/ts-oci/ts-oci#readme');
    expect(pkg.bugs).to.deep.equal({ url: 'https://github.com/ts-oci/ts-oci/issues' });
  });

  it('CHANGELOG.md has a section for the package version and is shipped', () => {
    const text = fs.readFileSync(path.join(repo, 'CHANGELOG.md'), 'utf8');
    expect(text).to.match(/^## \[Unreleased\]$/m);
    expect(text).to.match(new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\]`, 'm'));
    expect(pkg.files).to.include('CHANGELOG.md');
  });
});
