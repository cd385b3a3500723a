#!/usr/bin/env node
// Build step (after tsc): writes man/ts-oci.1 from the CLI's commander
// definitions (lib/cli/man-page.ts), so the man page lists exactly the
// commands and flags --help does. `--print` writes it to stdout instead.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function render() {
  // --root's default depends on who runs ts-oci; the page documents root's
  // (its description gives the rule for an ordinary user), not the builder's.
  const xdg = process.env.XDG_RUNTIME_DIR;
  delete process.env.XDG_RUNTIME_DIR;
  try {
    return renderPage();
  } finally {
    if (xdg !== undefined) process.env.XDG_RUNTIME_DIR = xdg;
  }
}

function renderPage() {
  const { buildProgram } = require(path.join(root, 'dist/cli/program.js'));
  const { manPage } = require(path.join(root, 'dist/cli/man-page.js'));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  return manPage(buildProgram().program, {
    version: pkg.version,
    description: pkg.description,
    bugs: pkg.bugs.url,
    homepage: pkg.homepage.replace(/#.*$/, ''),
  });
}

module.exports = { render, manPath: path.join(root, 'man', 'ts-oci.1') };

if (require.main === module) {
  const text = render();
  if (process.argv.includes('--print')) {
    process.stdout.write(text);
  } else {
    fs.mkdirSync(path.dirname(module.exports.manPath), { recursive: true });
    fs.writeFileSync(module.exports.manPath, text);
  }
}
