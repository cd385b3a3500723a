'use strict';
const { expect } = require('chai');
const { normalizeArgv } = require('../../../dist/cli/argv');

describe('cli/argv: normalizeArgv', () => {
  const known = new Set(['root', 'log-format', 'bundle', 'no-subreaper', 'pid-file']);

  it('rewrites single-dash long flags that exist, with or without =value', () => {
    expect(normalizeArgv(['-root', '/r', '-log-format=json', 'create', '-bundle', 'b', 'c1'], known)).to.deep.equal([
      '--root', '/r', '--log-format=json', 'create', '--bundle', 'b', 'c1',
    ]);
    expect(normalizeArgv(['restore', '-no-subreaper', 'c1'], known)).to.deep.equal(['restore', '--no-subreaper', 'c1']);
  });

  it('leaves short flags, unknown words, values and everything after -- alone', () => {
    expect(normalizeArgv(['-b', 'x', '-d', 'kill', 'c1', '-9'], known)).to.deep.equal(['-b', 'x', '-d', 'kill', 'c1', '-9']);
    expect(normalizeArgv(['-frob', '--root=/x'], known)).to.deep.equal(['-frob', '--root=/x']);
    expect(normalizeArgv(['--', '-root'], known)).to.deep.equal(['--', '-root']);
  });

  it('leaves the command exec runs alone: nothing after exec\'s container id is rewritten', () => {
    const shape = { valueFlags: new Set(['--root', '--cwd', '-e']), commandsWithTrailingArgs: new Set(['exec']) };
    const k = new Set([...known, 'all', 'cwd']);
    expect(normalizeArgv(['-root', '/r', 'exec', '-cwd', '/x', '-e', 'A=1', 'c1', 'ls', '-all', '-root'], k, shape)).to.deep.equal([
      '--root', '/r', 'exec', '--cwd', '/x', '-e', 'A=1', 'c1', 'ls', '-all', '-root',
    ]);
    expect(normalizeArgv(['kill', '-all', 'c1'], k, shape)).to.deep.equal(['kill', '--all', 'c1']);
  });
});
