#!/usr/bin/env node
// Build step after tsc: keeps only the declarations a user's `import ... from
// 'ts-oci'` can reach (dist/index.d.ts and what it imports, transitively) and
// deletes the rest. The internal modules' .d.ts mention Buffer, NodeJS.* and
// ES2015+ collections; shipped, they made the package's types depend on
// @types/node and on the user's `lib` setting without being part of the API.
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');

const dist = path.resolve(__dirname, '..', 'dist');

/** Declaration files reachable from `entry` through relative imports and references. */
function reachable(entry) {
  const seen = new Set();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    for (const ref of [...info.importedFiles, ...info.referencedFiles]) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = resolveDeclaration(path.resolve(path.dirname(file), ref.fileName));
      if (!target) throw new Error(`${path.relative(dist, file)}: cannot resolve ${ref.fileName}`);
      todo.push(target);
    }
  }
  return seen;
}

function resolveDeclaration(base) {
  const candidates = [base.replace(/\.js$/, '') + '.d.ts', path.join(base, 'index.d.ts')];
  if (base.endsWith('.d.ts')) candidates.unshift(base);
  return candidates.find((f) => fs.existsSync(f));
}

function declarations(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return declarations(p);
    return e.name.endsWith('.d.ts') ? [p] : [];
  });
}

const keep = reachable(path.join(dist, 'index.d.ts'));
let removed = 0;
for (const file of declarations(dist)) {
  if (keep.has(file)) continue;
  fs.rmSync(file);
  removed += 1;
}
console.log(`prune-declarations: kept ${keep.size} public .d.ts, removed ${removed} internal ones`);
