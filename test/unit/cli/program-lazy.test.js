'use strict';
// A start registers only the command its command line names (defining every
// command's options costs each start a few ms); everything else still sees
// the whole program.
const { expect } = require('chai');
const { buildProgram, commandWord } = require('../../../dist/cli/program');
const { commands } = require('../../../dist/cli/commands');

const names = (args) => buildProgram(args).program.commands.map((c) => c.name());

describe('cli program: only the command that runs is registered', () => {
  it('each table entry registers exactly the names it declares', () => {
    for (const entry of commands) {
      expect(names([entry.names[0], 'x']), entry.names[0]).to.deep.equal([...entry.names]);
    }
    const all = names(undefined);
    expect(all).to.have.members([...commands.flatMap((c) => c.names), 'help', 'completion']);
  });

  it('finds the command word past global flags and their values, in either dash form', () => {
    const { program } = buildProgram();
    expect(commandWord(['--root', 'state', 'list'], program)).to.equal('list');
    expect(commandWord(['--root=/r', 'state', 'c1'], program)).to.equal('state');
    expect(commandWord(['-root', '/r', '--log', 'l', '--log-format', 'json', '--debug', 'kill', 'c1'], program)).to.equal('kill');
    expect(commandWord(['--systemd-cgroup', '--cgroup-manager', 'systemd', 'run', 'c1'], program)).to.equal('run');
    expect(commandWord(['--debug', '--', 'run'], program)).to.equal(undefined);
    expect(commandWord(['--root', '/r'], program)).to.equal(undefined);
  });

  it('registers one command when the line names one; all for help, completion, no command or an unknown word', () => {
    expect(names(['--root', '/r', 'state', 'c1'])).to.deep.equal(['state']);
    expect(names(['resume', 'c1'])).to.deep.equal(['pause', 'resume']);
    const all = names(undefined);
    for (const args of [[], ['--help'], ['help', 'run'], ['completion', 'bash'], ['statee', 'c1']]) {
      expect(names(args), args.join(' ')).to.deep.equal(all);
    }
    expect(names(['--version'])).to.deep.equal([]);
  });
});
