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

  it('no source, test or document names a markdown file a reader cannot find', () => {
    // The repository's own, or one of the OCI runtime spec's (which comments cite by section).
    const spec = ['bundle', 'config', 'config-linux', 'features', 'features-linux', 'glossary', 'principles', 'runtime', 'runtime-linux', 'spec']
      .map((n) => `${n}.md`);
    const ours = new Set(markdownFiles(repo).map((f) => path.relative(repo, f)));
    const found = (name) => spec.includes(name) || ours.has(name) || [...ours].some((f) => f.endsWith(`/${name}`));
    const texts = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (e.name.startsWith('.') || e.name === 'node_modules') return [];
      const p = path.join(dir, e.name);
      if (e.isDirectory()) return texts(p);
      return /\.(ts|js|cc|h|md|sh|json)$/.test(e.name) ? [p] : [];
    });
    const unknown = [];
    for (const file of ['lib', 'native', 'scripts', 'test', 'docs'].flatMap((d) => texts(path.join(repo, d))).concat(markdownFiles(repo))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/(?<![\w/.:-])([\w.-]+(?:\/[\w.-]+)*\.md)\b/g)) {
        if (!found(m[1])) unknown.push(`${path.relative(repo, file)}: ${m[1]}`);
      }
    }
    expect(unknown).to.deep.equal([]);
  });

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

describe('README: Troubleshooting and How it works', () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const sectionOf = (heading) => {
    const start = readme.indexOf(`\n## ${heading}\n`);
    expect(start, `README has "## ${heading}"`).to.be.above(-1);
    const end = readme.indexOf('\n## ', start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
  };
  const sources = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.(ts|cc|h)$/.test(e.name) ? [fs.readFileSync(p, 'utf8')] : [];
  });

  it('How it works shows the process model: CLI/library, addon, helper, plan, fifo, execve', () => {
    const text = sectionOf('How it works');
    for (const word of ['ts-oci-init', 'clone3', 'plan', 'exec fifo', 'execve', 'state.json']) expect(text, word).to.contain(word);
  });

  it('every error Troubleshooting quotes is one the code still produces', () => {
    const code = [...sources(path.join(repo, 'lib')), ...sources(path.join(repo, 'native'))].join('\n');
    const rows = sectionOf('Troubleshooting').split('\n').filter((l) => /^\| `/.test(l));
    expect(rows.length).to.be.above(8);
    for (const row of rows) {
      const quoted = [...row.split(' | ')[0].matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      // The literal parts of each quoted error: placeholders (<bundle>, c1, /mnt/x, ...) and "..." cut it.
      const fragments = quoted.flatMap((q) => q.split(/\.\.\.|<[^>]+>|'[^']*'|\/mnt\/x|\bc1\b|"[^"]*"|\bfoo\b|: /))
        .map((f) => f.trim().replace(/^[:(,\s]+|[:),\s]+$/g, ''))
        .filter((f) => f.length >= 12);
      const found = fragments.filter((f) => code.includes(f));
      const fromNode = /^\| `(EACCES: permission denied|npm install)/.test(row);
      expect(found.length > 0 || fromNode, `no fragment of ${JSON.stringify(quoted)} is in lib/ or native/: ${JSON.stringify(fragments)}`).to.equal(true);
    }
  });
});
