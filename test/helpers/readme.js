'use strict';
// README's code blocks, as printed: tests run or check them so the README
// cannot drift from what works.
const fs = require('fs');
const path = require('path');

const repo = path.resolve(__dirname, '../..');
const readmePath = path.join(repo, 'README.md');

/** The fenced block right after `<!-- example:NAME -->`, exactly as printed. */
function readmeExample(name, text = fs.readFileSync(readmePath, 'utf8')) {
  const marker = `<!-- example:${name} -->\n`;
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker.trim()}`);
  const m = /^```[a-z]*\n([\s\S]*?)^```$/m.exec(text.slice(at + marker.length));
  if (!m || m.index !== 0) throw new Error(`README.md: no code block right after ${marker.trim()}`);
  return m[1];
}

/** Every [text](target) link of a markdown text, with its line number. */
function markdownLinks(text) {
  const links = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\]\(([^)\s]+)\)/g)) links.push({ target: m[1], line: i + 1 });
  });
  return links;
}

module.exports = { repo, readmePath, readmeExample, markdownLinks };
