'use strict';
// The declarations dist/ ships, compiled from a user's project with
// TypeScript's defaults and no @types/node (test/types/defaults/consumer.ts).
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const { compileConsumer } = require('../../helpers/types-consumer');

const repo = path.resolve(__dirname, '../../..');

function copyDeclarations(from, to) {
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, e.name);
    if (e.isDirectory()) copyDeclarations(src, path.join(to, e.name));
    else if (e.name.endsWith('.d.ts')) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(src, path.join(to, e.name));
    }
  }
}

describe('shipped type declarations', function () {
  this.timeout(60000);

  it('compile in a project with default tsc options and no @types/node; Signal is not any', () => {
    const r = compileConsumer((nodeModules) => {
      const pkg = path.join(nodeModules, 'ts-oci');
      fs.mkdirSync(pkg, { recursive: true });
      fs.copyFileSync(path.join(repo, 'package.json'), path.join(pkg, 'package.json'));
      copyDeclarations(path.join(repo, 'dist'), path.join(pkg, 'dist'));
    });
    expect(r.errors).to.equal('');
    expect(r.status).to.equal(0);
    expect(r.files.filter((f) => f.includes('/@types/'))).to.deep.equal([]);
    expect(r.files.some((f) => f.endsWith('/node_modules/ts-oci/dist/index.d.ts'))).to.equal(true);
  });

  it('dist holds only the declarations dist/index.d.ts reaches (no internal modules)', () => {
    const shipped = [];
    const walk = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.name.endsWith('.d.ts')) shipped.push(path.relative(path.join(repo, 'dist'), p));
      }
    };
    walk(path.join(repo, 'dist'));
    for (const internal of ['native.d.ts', 'signals.d.ts', 'cgroups/path.d.ts', 'cli/main.d.ts', 'state/record.d.ts']) {
      expect(shipped, internal).to.not.include(internal);
    }
    expect(shipped).to.include('index.d.ts');
  });
});
