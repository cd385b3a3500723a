'use strict';
// Black-box security probes: what a
// hostile container or a careless caller must not be able to reach.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

const helperOnDisk = path.join(h.repo, 'build/Release/ts-oci-init');
const PROC_SUPER_MAGIC = 0x9fa0;

describe('security probes', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  const run = (args, edit) => {
    const b = h.makeBundle((c) => {
      c.process.args = args;
      if (edit) edit(c);
    });
    return { ...h.cli(root, ['run', '-b', b, h.uniqueId('sec')]), bundle: b };
  };
  const create = (args, edit) => {
    const b = h.makeBundle((c) => {
      c.process.args = args;
      if (edit) edit(c);
    });
    const id = h.uniqueId('sec');
    const r = h.cli(root, ['create', '-b', b, id]);
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    return { id, bundle: b, pid: JSON.parse(h.cli(root, ['state', id]).stdout).pid };
  };
  const remove = (id) => expect(h.cli(root, ['delete', '--force', id]).status).to.equal(0);

  describe('/proc/self/exe is the sealed helper, never node (CVE-2019-5736)', () => {
    const hashes = () => [process.execPath, helperOnDisk].map((f) => sha256(f));
    let before;
    beforeEach(() => (before = hashes()));
    afterEach(() => expect(hashes()).to.deep.equal(before));

    it('args ["/proc/self/exe", "-e", ...] run the helper, which refuses', () => {
      const r = run(['/proc/self/exe', '-e', "console.log('PWNED')"]);
      expect(r.stdout + r.stderr).to.not.contain('PWNED');
      expect(r.stderr).to.match(/^ts-oci-init: .*not meant to be run directly\)\n$/);
      expect(r.status).to.equal(2);
    });

    it('a #!/proc/self/exe script is interpreted by the helper, which refuses', () => {
      const b = h.makeBundle((c) => (c.process.args = ['/evil']));
      // Node skips a leading #! line: if node were the interpreter, this would print PWNED.
      fs.writeFileSync(path.join(b, 'rootfs/evil'), "#!/proc/self/exe\nconsole.log('PWNED')\n", { mode: 0o755 });
      const r = h.cli(root, ['run', '-b', b, h.uniqueId('sec')]);
      expect(r.stdout + r.stderr).to.not.contain('PWNED');
      expect(r.stderr).to.match(/^ts-oci-init: .*not meant to be run directly\)\n$/);
      expect(r.status).to.equal(2);
    });

    it('the created init runs from a memfd: not node, not the helper on disk, ~1 MB, not writable', () => {
      const { id, pid } = create(['sleep', '1000']);
      try {
        const exe = `/proc/${pid}/exe`;
        expect(fs.readlinkSync(exe)).to.equal('/memfd:ts-oci-init (deleted)');
        const inode = (f) => `${fs.statSync(f).dev}:${fs.statSync(f).ino}`;
        expect(inode(exe)).to.not.equal(inode(process.execPath));
        expect(inode(exe)).to.not.equal(inode(helperOnDisk));
        const rssKb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
        expect(rssKb).to.be.above(0).and.below(2048);
        // Even the host's root cannot open it for writing.
        for (const flags of ['r+', 'w', 'a']) {
          expect(() => fs.closeSync(fs.openSync(exe, flags)), flags).to.throw().with.property('code').oneOf(['EPERM', 'EACCES', 'ETXTBSY']);
        }
      } finally {
        remove(id);
      }
    });

    it('inside a container, its own exe is readable but the waiting helper\'s is not writable', () => {
      const waiting = create(['sleep', '1000']);
      try {
        // A second container that sees the waiting helper: joining a pid namespace is not
        // supported yet, so it shares the host's, where the helper is /proc/<pid>.
        const p = `/proc/${waiting.pid}`;
        const r = run(['sh', '-c', `cat /proc/self/exe > /dev/null && echo READ-OK; tr "\\0" " " < ${p}/cmdline; echo; echo x >> ${p}/exe && echo WROTE`], (c) => {
          c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'pid');
        });
        expect(r.stdout).to.match(/^READ-OK\nts-oci-init --sync-fd \d+ \n$/);
        expect(r.stdout).to.not.contain('WROTE');
        expect(r.stderr).to.match(new RegExp(`${p}/exe: (Permission denied|Operation not permitted|Text file busy)`));
        expect(r.status).to.not.equal(0);
        expect(fs.readlinkSync(`/proc/${waiting.pid}/exe`)).to.equal('/memfd:ts-oci-init (deleted)');
      } finally {
        remove(waiting.id);
      }
    });

    it('the helper refuses to run when invoked directly inside a container', () => {
      for (const args of [['/ts-oci-init'], ['/ts-oci-init', '--sync-fd', '1']]) {
        const b = h.makeBundle((c) => (c.process.args = args));
        fs.copyFileSync(helperOnDisk, path.join(b, 'rootfs/ts-oci-init'));
        fs.chmodSync(path.join(b, 'rootfs/ts-oci-init'), 0o755);
        const r = h.cli(root, ['run', '-b', b, h.uniqueId('sec')]);
        expect(r.stdout).to.equal('');
        expect(r.stderr.split('\n')).to.have.length(2); // one line
        expect(r.stderr).to.match(/^ts-oci-init: .*not meant to be run directly\)\n$/);
        expect(r.status, args.join(' ')).to.equal(2);
      }
    });
  });

  describe('no fd of the runtime or the caller reaches the container (CVE-2024-21626)', () => {
    let marker;
    before(() => {
      marker = `/.tsoci-host-marker-${process.pid}`;
      fs.writeFileSync(marker, '');
    });
    after(() => fs.rmSync(marker, { force: true }));

    /** The CLI started by bash with fd 7 open (not CLOEXEC) on the host's /. */
    const leakyCli = (args, outFile) =>
      spawnSync('bash', ['-c', 'exec 7</; exec "$0" "$@" >"$OUT" 2>&1', h.bin, '--root', root, ...args], {
        env: { ...process.env, OUT: outFile },
        stdio: 'ignore',
        timeout: 60000,
      });

    it('cwd /proc/self/fd/N with a leaked host fd: create fails or stays inside', () => {
      const out = path.join(h.work, `leak-${process.pid}`);
      try {
        for (let n = 3; n <= 12; n++) {
          const b = h.makeBundle((c) => {
            c.process.args = ['sh', '-c', 'pwd -P; ls -a ../../..'];
            c.process.cwd = `/proc/self/fd/${n}`;
          });
          const r = leakyCli(['run', '-b', b, h.uniqueId('sec')], out);
          const text = fs.readFileSync(out, 'utf8');
          expect(text, `fd ${n}`).to.not.contain(path.basename(marker));
          if (r.status === 0) expect(text.split('\n')[0], `fd ${n}`).to.match(/^\/proc\//);
          else expect(text, `fd ${n}`).to.match(/^ts-oci: run \S+: /);
        }
      } finally {
        fs.rmSync(out, { force: true });
      }
    });

    it('the container process has only fds 0-2 (plus ls\'s own), even with a leaked fd 7', () => {
      expect(run(['ls', '/proc/self/fd']).stdout).to.equal('0\n1\n2\n3\n');
      const out = path.join(h.work, `leak-${process.pid}`);
      try {
        const b = h.makeBundle((c) => (c.process.args = ['ls', '/proc/self/fd']));
        expect(leakyCli(['run', '-b', b, h.uniqueId('sec')], out).status).to.equal(0);
        expect(fs.readFileSync(out, 'utf8')).to.equal('0\n1\n2\n3\n');
      } finally {
        fs.rmSync(out, { force: true });
      }
    });

    it('the created init holds only stdio, the exec fifo and its own fd directory of a pid-only procfs', () => {
      const { id, pid } = create(['sleep', '1000']);
      try {
        const fds = initFds(pid);
        expect(fds.filter((f) => f.fd <= 2).map((f) => f.target)).to.deep.equal([
          '/dev/null',
          path.join(h.work, `out-${process.pid}`),
          path.join(h.work, `err-${process.pid}`),
        ]);
        // No sync socket, no rootfs or host directory, no full procfs: two fds beyond stdio.
        const extra = fds.filter((f) => f.fd > 2);
        expect(extra.map((f) => f.target).sort()).to.have.length(2);
        const fifo = extra.find((f) => f.target === path.join(root, id, 'exec.fifo'));
        expect(fifo, JSON.stringify(extra.map((f) => f.target))).to.not.equal(undefined);
        expect(fifo.stat.isFIFO()).to.equal(true);
        const dir = extra.find((f) => f !== fifo);
        expect(dir.statfsType, dir.target).to.equal(PROC_SUPER_MAGIC);
        expect(dir.stat.isDirectory(), dir.target).to.equal(true);
        // Its own fd directory (it lists the fifo's number), on a procfs of
        // process directories only: ".." leads to no /proc/sys.
        expect(fs.readdirSync(`/proc/${pid}/fd/${dir.fd}`).map(Number)).to.include(fifo.fd);
        const top = fs.readdirSync(`/proc/${pid}/fd/${dir.fd}/../..`);
        expect(top).to.include('self');
        expect(top.filter((e) => !/^\d+$/.test(e)).sort()).to.deep.equal(['self', 'thread-self']);
      } finally {
        remove(id);
      }
    });

    it('a fd leaked into the CLI does not reach the created init', () => {
      const b = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
      const id = h.uniqueId('sec');
      const out = path.join(h.work, `leak-${process.pid}`);
      try {
        expect(leakyCli(['create', '-b', b, id], out).status, fs.readFileSync(out, 'utf8')).to.equal(0);
        const { pid } = JSON.parse(h.cli(root, ['state', id]).stdout);
        const hostRoot = fs.statSync('/');
        for (const f of initFds(pid)) {
          expect(f.stat.dev === hostRoot.dev && f.stat.ino === hostRoot.ino, `fd ${f.fd} is the host's /`).to.equal(false);
        }
      } finally {
        fs.rmSync(out, { force: true });
        remove(id);
      }
    });
  });

  it('inheritable and ambient capabilities are empty with the default config', () => {
    const r = run(['grep', '-E', '^Cap(Inh|Amb|Eff)', '/proc/self/status']);
    expect(r.status).to.equal(0);
    // CapEff shows the grep really read its own status: runc's three default caps.
    expect(r.stdout).to.equal('CapInh:\t0000000000000000\nCapEff:\t0000000020000420\nCapAmb:\t0000000000000000\n');
  });

  it('ids that are not plain names are rejected and nothing is made outside --root', async () => {
    const parent = fs.mkdtempSync(path.join(h.work, 'ids-'));
    const ownRoot = path.join(parent, 'root');
    fs.mkdirSync(ownRoot);
    const b = h.makeBundle((c) => (c.process.args = ['true']));
    const { Container } = require(h.repo);
    try {
      for (const id of ['..', '.', 'a/b', '../x', '', 'x'.repeat(1100), '/abs', 'a\nb']) {
        const r = h.cli(ownRoot, ['create', '-b', b, id]);
        expect(r.status, JSON.stringify(id)).to.equal(1);
        expect(r.stderr, JSON.stringify(id)).to.contain('invalid id format');
        let rejected;
        await Container.create({ id, bundle: b, root: ownRoot }).catch((e) => (rejected = e));
        expect(rejected, JSON.stringify(id)).to.be.instanceOf(Error);
        expect(fs.readdirSync(parent)).to.deep.equal(['root']);
        expect(fs.readdirSync(ownRoot)).to.deep.equal([]);
        expect(fs.readdirSync(b).sort()).to.deep.equal(['config.json', 'rootfs']);
      }
    } finally {
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  describe('created from a terminal with terminal=false', () => {
    const inPty = (command) => {
      const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000 });
      return { status: r.status, out: r.stdout.replace(/\r\n/g, '\n') };
    };

    it('the container gets the caller\'s tty as 0-2 only, and not as its controlling terminal', () => {
      const b = h.makeBundle((c) => (c.process.args = ['sh', '-c', 'ls -1 /proc/self/fd; set -- $(cat /proc/$$/stat); echo "tty_nr=$7 sid=$6"']));
      const r = inPty(`${h.bin} --root ${root} run -b ${b} ${h.uniqueId('tty')}`);
      expect(r.status).to.equal(0);
      // A controlling tty would let the container TIOCSTI into the caller's shell: runc setsid()s.
      expect(r.out).to.equal('0\n1\n2\n3\ntty_nr=0 sid=1\n');
    });

    it('the waiting init holds no tty beyond 0-2', () => {
      const b = h.makeBundle((c) => (c.process.args = ['sleep', '1000']));
      const id = h.uniqueId('tty');
      try {
        expect(inPty(`${h.bin} --root ${root} create -b ${b} ${id}`).status).to.equal(0);
        const { pid } = JSON.parse(h.cli(root, ['state', id]).stdout);
        const ttys = initFds(pid).filter((f) => /^\/dev\/(pts\/|tty|console)/.test(f.target)).map((f) => f.fd);
        expect(ttys).to.deep.equal([0, 1, 2]);
        expect(h.cli(root, ['start', id]).status).to.equal(0);
        expect(fs.readdirSync(`/proc/${pid}/fd`).map(Number).sort()).to.deep.equal([0, 1, 2]);
      } finally {
        remove(id);
      }
    });
  });
});

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The fds of a process as seen from the host: number, link target, stat and fs type. */
function initFds(pid) {
  return fs
    .readdirSync(`/proc/${pid}/fd`)
    .map(Number)
    .sort((a, b) => a - b)
    .map((fd) => {
      const link = `/proc/${pid}/fd/${fd}`;
      return { fd, target: fs.readlinkSync(link), stat: fs.statSync(link), statfsType: fs.statfsSync(link).type };
    });
}
