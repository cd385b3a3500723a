'use strict';
// process.* fields, checked from inside the container.
const { expect } = require('chai');
const h = require('../helpers/integration');

describe('process settings (inside the container)', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  const run = (script, edit) => h.runOk(root, script, edit);

  it('args, env and cwd', () => {
    const out = run('echo "$FOO|$PATH"; pwd', (c) => {
      c.process.env = ['FOO=bar baz', 'PATH=/usr/bin:/bin'];
      c.process.cwd = '/tmp';
    });
    expect(out).to.equal('bar baz|/usr/bin:/bin\n/tmp\n');
  });

  it('a cwd that does not exist yet is created', () => {
    expect(run('pwd', (c) => (c.process.cwd = '/new/dir'))).to.equal('/new/dir\n');
  });

  it('user: uid, gid, additionalGids and umask', () => {
    const out = run('id -u; id -g; id -G; umask', (c) => {
      c.process.user = { uid: 1000, gid: 1001, additionalGids: [2000, 2001], umask: 0o077 };
    });
    expect(out).to.equal('1000\n1001\n1001 2000 2001\n0077\n');
  });

  it('the default umask is 0022', () => {
    expect(run('umask')).to.equal('0022\n');
  });

  it('capabilities: the five sets as configured, inheritable empty by default', () => {
    const out = run('grep -E "^Cap(Inh|Prm|Eff|Bnd|Amb)" /proc/self/status');
    // runc's default set: AUDIT_WRITE (29), KILL (5), NET_BIND_SERVICE (10).
    const mask = ((1n << 29n) | (1n << 5n) | (1n << 10n)).toString(16).padStart(16, '0');
    expect(out).to.equal(`CapInh:\t0000000000000000\nCapPrm:\t${mask}\nCapEff:\t${mask}\nCapBnd:\t${mask}\nCapAmb:\t0000000000000000\n`);
    const amb = run('grep CapAmb /proc/self/status', (c) => {
      c.process.capabilities.inheritable = ['CAP_KILL'];
      c.process.capabilities.ambient = ['CAP_KILL'];
    });
    expect(amb).to.equal('CapAmb:\t0000000000000020\n');
  });

  it('noNewPrivileges', () => {
    expect(run('grep NoNewPrivs /proc/self/status')).to.equal('NoNewPrivs:\t1\n');
    expect(run('grep NoNewPrivs /proc/self/status', (c) => (c.process.noNewPrivileges = false))).to.equal('NoNewPrivs:\t0\n');
  });

  it('rlimits', () => {
    const out = run('ulimit -n; ulimit -Hn; ulimit -c', (c) => {
      c.process.rlimits = [
        { type: 'RLIMIT_NOFILE', soft: 123, hard: 456 },
        { type: 'RLIMIT_CORE', soft: 0, hard: 0 },
      ];
    });
    expect(out).to.equal('123\n456\n0\n');
  });

  it('a new session keyring by default, the caller\'s with --no-new-keyring', () => {
    const hostSerials = () => new Set(require('fs').readFileSync('/proc/keys', 'utf8').split('\n').map((l) => l.split(' ')[0]));
    const unmaskKeys = (c) => (c.linux.maskedPaths = c.linux.maskedPaths.filter((p) => p !== '/proc/keys'));
    const keyrings = (out) => out.trim().split('\n').filter((l) => / keyring +_ses: /.test(l)).map((l) => l.split(' ')[0]);
    const before = hostSerials();
    // Root sees every uid-0 keyring, other containers' too: look for one that did not exist before.
    const fresh = keyrings(run('cat /proc/keys', unmaskKeys)).filter((s) => !before.has(s));
    expect(fresh).to.have.length.greaterThanOrEqual(1);
    const bundle = h.makeBundle((c) => {
      unmaskKeys(c);
      c.process.args = ['cat', '/proc/keys'];
    });
    const r = h.cli(root, ['run', '--no-new-keyring', '-b', bundle, h.uniqueId()]);
    expect(r.status, r.stderr).to.equal(0);
    const inherited = r.stdout.trim().split('\n').map((l) => l.split(' ')[0]);
    const now = hostSerials();
    expect(inherited.filter((s) => !now.has(s))).to.deep.equal([]);
  });

  it('oomScoreAdj', () => {
    expect(run('cat /proc/self/oom_score_adj', (c) => (c.process.oomScoreAdj = 500))).to.equal('500\n');
  });

  it('stdio is the caller\'s, untouched, and blocking', () => {
    const out = run('readlink /proc/self/fd/1; grep flags /proc/self/fdinfo/1');
    const [target, flags] = out.trim().split('\n');
    expect(target).to.match(/^\/work\/main\/test\/\.work\/out-\d+$|out-\d+/);
    // O_NONBLOCK is 04000: libuv must never have set it on the shared file description.
    expect(parseInt(flags.split(/\s+/)[1], 8) & 0o4000).to.equal(0);
  });
});
