'use strict';
const { expect } = require('chai');
const { dedupEnv, processFromFlags, processFromFile, processFromInput, checkExecProcess } = require('../../../dist/runtime/exec-process');

const base = () => ({
  cwd: '/', args: ['sleep', '1'], env: ['PATH=/bin', 'A=1'], terminal: true,
  user: { uid: 0, gid: 0, umask: 0o027, additionalGids: [9] },
  capabilities: { bounding: ['CAP_KILL'], effective: ['CAP_KILL'], permitted: ['CAP_KILL'], inheritable: ['CAP_KILL'], ambient: [] },
  rlimits: [{ type: 'RLIMIT_NOFILE', soft: 10, hard: 10 }], noNewPrivileges: false,
});

describe('runtime/exec-process: what exec runs', () => {
  it('dedupEnv keeps the last of each key in place and refuses malformed entries', () => {
    expect(dedupEnv(['A=1', 'B=2', 'A=3'])).to.deep.equal(['B=2', 'A=3']);
    expect(() => dedupEnv(['NOEQUALS'])).to.throw("missing '='");
    expect(() => dedupEnv(['=x'])).to.throw('name cannot be empty');
  });

  it('flags: the container\'s process with args, overrides and added env; a terminal only with -t', () => {
    const p = processFromFlags(base(), { args: ['ls'], env: ['A=2', 'B=3'], cwd: '/tmp', user: '5:6', additionalGids: [7] });
    expect(p.args).to.deep.equal(['ls']);
    expect(p.env).to.deep.equal(['PATH=/bin', 'A=2', 'B=3']);
    expect(p.cwd).to.equal('/tmp');
    // -g adds to the container's groups, as runc's exec does.
    expect(p.user).to.deep.equal({ uid: 5, gid: 6, umask: 0o027, additionalGids: [9, 7] });
    expect(p.terminal).to.equal(false);
    expect(processFromFlags(base(), { args: ['sh'], tty: true }).terminal).to.equal(true);
    expect(p.rlimits).to.deep.equal(base().rlimits);
    expect(processFromFlags(base(), { args: ['ls'], user: '5' }).user).to.deep.equal({ uid: 5, gid: 0, umask: 0o027, additionalGids: [9] });
    expect(() => processFromFlags(base(), { args: ['ls'], user: 'root' })).to.throw('invalid --user uid "root"');
    expect(processFromFlags(base(), { args: ['ls'], noNewPrivs: true }).noNewPrivileges).to.equal(true);
  });

  it('--cap adds to bounding, effective and permitted only', () => {
    const caps = processFromFlags(base(), { args: ['ls'], caps: ['CAP_SYS_ADMIN'] }).capabilities;
    expect(caps).to.deep.equal({
      bounding: ['CAP_KILL', 'CAP_SYS_ADMIN'], effective: ['CAP_KILL', 'CAP_SYS_ADMIN'], permitted: ['CAP_KILL', 'CAP_SYS_ADMIN'],
      inheritable: ['CAP_KILL'], ambient: [],
    });
    expect(() => processFromFlags(base(), { args: ['ls'], caps: ['CAP_NOPE'] })).to.throw('unknown capability');
  });

  it('--process: the file as is, the container\'s caps, rlimits, umask and labels where it has none', () => {
    const p = processFromFile(base(), { args: ['x'], cwd: '/w', env: ['Z=1'] });
    expect(p.env).to.deep.equal(['Z=1']);
    expect(p.capabilities).to.deep.equal(base().capabilities);
    expect(p.rlimits).to.deep.equal(base().rlimits);
    expect(p.user.umask).to.equal(0o027);
    expect(p.terminal).to.equal(undefined);
    const own = processFromFile(base(), { args: ['x'], cwd: '/', capabilities: {}, rlimits: [{ type: 'RLIMIT_CORE', soft: 0, hard: 0 }] });
    expect(own.capabilities).to.deep.equal({});
    expect(own.rlimits).to.deep.equal([{ type: 'RLIMIT_CORE', soft: 0, hard: 0 }]);
  });

  it('library input: given fields replace, env adds, user merges', () => {
    const p = processFromInput(base(), { args: ['id'], env: ['A=9'], user: { uid: 3 } });
    expect(p.env).to.deep.equal(['PATH=/bin', 'A=9']);
    expect(p.user).to.deep.equal({ uid: 3, gid: 0, umask: 0o027, additionalGids: [9] });
    expect(p.terminal).to.equal(false);
  });

  it('checks the result like config.json\'s process', () => {
    expect(() => checkExecProcess({ ...base(), args: [] }, 'exec')).to.throw('exec: args must not be empty');
    expect(() => checkExecProcess({ ...base(), cwd: 'rel' }, 'p.json')).to.throw('p.json: /cwd: cwd "rel" must be an absolute path');
    expect(() => checkExecProcess({ ...base(), capabilities: { bounding: ['CAP_X'] } }, 'exec')).to.throw('/capabilities/bounding/0: unknown capability');
  });
});
