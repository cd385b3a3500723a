'use strict';
// `ts-oci completion bash`, sourced into bash and asked as bash's
// programmable completion would ask it.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const { buildProgram } = require('../../../dist/cli/program');

const bin = path.resolve(__dirname, '../../../bin/ts-oci');

describe('cli: bash completion', () => {
  let dir;
  let script;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-completion-'));
    const r = spawnSync(bin, ['completion', 'bash'], { encoding: 'utf8' });
    expect(r.status, r.stderr).to.equal(0);
    script = path.join(dir, 'ts-oci.bash');
    fs.writeFileSync(script, r.stdout);
    // A ts-oci on PATH that logs how it is asked for ids and answers two.
    fs.mkdirSync(path.join(dir, 'bin'));
    fs.writeFileSync(path.join(dir, 'bin/ts-oci'), `#!/bin/sh\necho "$@" > ${dir}/asked\nprintf 'c1\\nc2\\nother\\n'\n`, { mode: 0o755 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** COMPREPLY for the words typed so far (the last one is being completed). */
  const complete = (...words) => {
    const line = words.map((w) => `'${w}'`).join(' ');
    const r = spawnSync('bash', ['-c', `source ${script}; COMP_WORDS=(ts-oci ${line}); COMP_CWORD=${words.length}; _ts_oci; printf '%s\\n' "\${COMPREPLY[@]}"`], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}/bin:${process.env.PATH}` },
    });
    expect(r.stderr).to.equal('');
    return r.stdout.split('\n').filter(Boolean);
  };

  it('completes every command the program defines, and global flags', () => {
    const names = buildProgram().program.commands.map((c) => c.name());
    expect(complete('')).to.deep.equal(names);
    expect(complete('cr')).to.deep.equal(['create']);
    expect(complete('--ro')).to.deep.equal(['--root', '--rootless']);
    expect(complete('--root', '/r', 'li')).to.deep.equal(['list']);
  });

  it('completes a command\'s own flags', () => {
    expect(complete('kill', '--a')).to.deep.equal(['--all']);
    expect(complete('run', '--de')).to.deep.equal(['--detach']);
    expect(complete('--debug', 'delete', '-')).to.include.members(['-f', '--force', '--help']);
  });

  it('completes existing container ids, asking with the given --root', () => {
    expect(complete('--root', '/my/root', 'state', 'c')).to.deep.equal(['c1', 'c2']);
    expect(fs.readFileSync(path.join(dir, 'asked'), 'utf8')).to.equal('--root /my/root list -q\n');
    expect(complete('kill', 'o')).to.deep.equal(['other']);
    expect(fs.readFileSync(path.join(dir, 'asked'), 'utf8')).to.equal('list -q\n');
    // create and run take a new id: nothing to offer.
    expect(complete('create', 'c')).to.deep.equal([]);
  });

  it('completes help topics and shells', () => {
    expect(complete('help', 'sta')).to.deep.equal(['start', 'state']);
    expect(complete('completion', '')).to.deep.equal(['bash']);
  });

  it('an unsupported shell is a usage error', () => {
    const r = spawnSync(bin, ['completion', 'fish'], { encoding: 'utf8' });
    expect(r.status).to.equal(2);
    expect(r.stderr).to.equal("ts-oci: completion: unsupported shell 'fish': use bash\n");
  });
});
