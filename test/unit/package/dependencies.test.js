'use strict';
// README's "Dependencies, and why" stays current: every npm dependency has
// its row (and no row names a package that is gone), and every system
// package .ci/run or the demo installs is in the system table.
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');

const repo = path.resolve(__dirname, '../../..');
const read = (f) => fs.readFileSync(path.join(repo, f), 'utf8');
const pkg = JSON.parse(read('package.json'));

function section(text, heading) {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}"`);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

const deps = section(read('README.md'), 'Dependencies, and why');
const [npmPart, systemPart = ''] = deps.split('System packages');
/** First-cell names of a table's rows: "| `a`, `b` | why |" -> ['a', 'b']. */
const rowNames = (text) => text.split('\n')
  .filter((l) => /^\| `/.test(l))
  .flatMap((l) => [...l.split('|')[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]));

describe('README: the dependency tables are current', () => {
  it('every dependency has a row, and every row names a dependency', () => {
    const rows = rowNames(npmPart).filter((n) => !n.startsWith('dev:'));
    for (const name of Object.keys(pkg.dependencies)) expect(rows, name).to.include(name);
    const devRow = npmPart.split('\n').find((l) => l.startsWith('| dev:')) ?? '';
    for (const name of Object.keys(pkg.devDependencies)) {
      const covered = devRow.includes(`\`${name}\``) || (name.startsWith('@types/') && devRow.includes('`@types/*`'));
      expect(covered, `devDependency ${name} in the dev row`).to.equal(true);
    }
    for (const name of rows) expect(pkg.dependencies, `README row ${name}`).to.have.property(name);
  });

  it('every apt package .ci/run and the demo install is in the system table', () => {
    const listed = rowNames(systemPart);
    const ciText = read('.ci/run');
    const ci = [
      ...[...ciText.matchAll(/for pkg in ([^;]+); do/g)].flatMap((m) => m[1].trim().split(/\s+/)),
      // Any other literal `apt-get install ... name` line.
      ...[...ciText.matchAll(/apt-get install ([^\n>]+)/g)].flatMap((m) => m[1].trim().split(/\s+/))
        .filter((w) => /^[a-z0-9][a-z0-9.+-]+$/.test(w)),
    ];
    const demo = read('scripts/demo.sh');
    const demoPkgs = [
      ...[...demo.matchAll(/need\+=\(([a-z0-9.+-]+)\)/g)].map((m) => m[1]),
      .../for tool in ([^;]+); do/.exec(demo)[1].trim().split(/\s+/),
    ];
    for (const name of [...ci, ...demoPkgs]) expect(listed, name).to.include(name);
  });
});
