'use strict';
// README as a new user reads it: its links stay inside the repository and
// its library examples are programs that parse as the module kind they claim.
// (test/integration/package.test.js runs them against the installed tarball.)
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const { repo, readmeExample, markdownLinks } = require('../../helpers/readme');

function markdownFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.') || ['node_modules', 'build', 'dist', 'prebuilds'].includes(e.name)) return [];
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(p);
    return e.name.endsWith('.md') ? [p] : [];
  });
}

describe('README and the other markdown files', () => {
  for (const file of markdownFiles(repo)) {
    const rel = path.relative(repo, file);
    it(`${rel}: every relative link names a file inside the repository`, () => {
      for (const { target, line } of markdownLinks(fs.readFileSync(file, 'utf8'))) {
        if (/^(https?:|mailto:|#)/.test(target)) continue;
        const where = `${rel}:${line} links ${target}`;
        expect(path.isAbsolute(target), where).to.equal(false);
        const resolved = path.resolve(path.dirname(file), target.replace(/#.*$/, ''));
        expect(path.relative(repo, resolved), where).to.not.match(/^\.\.(\/|$)/);
        expect(fs.existsSync(resolved), `${where}: no such file`).to.equal(true);
      }
    });
  }

  describe('library examples parse as printed', () => {
    let dir;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-examples-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const check = (name, type, file) => {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, 'package.json'), JSON.stringify({ name, private: true, type }));
      fs.writeFileSync(path.join(dir, name, file), readmeExample(name));
      return spawnSync(process.execPath, ['--check', file], { cwd: path.join(dir, name), encoding: 'utf8' });
    };

    it('the CommonJS example is a CommonJS script (no top-level await), errors handled', () => {
      const r = check('cjs', 'commonjs', 'example.js');
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      const code = readmeExample('cjs');
      expect(code).to.match(/require\('ts-oci'\)/);
      expect(code).to.match(/\.catch\(/);
    });

    it('the ESM example is an ES module importing ts-oci', () => {
      const r = check('esm', 'module', 'example.js');
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      expect(readmeExample('esm')).to.match(/^import \{[^}]+\} from 'ts-oci';$/m);
    });
  });
});
