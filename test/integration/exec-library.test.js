'use strict';
// Container.exec(): streams, exit status, signals, and many execs at once,
// from inside real containers created through the library.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');
const { forThisLayout } = require('../helpers/cgroup-layout');

const { Container, ExecProcess, RuntimeError, StateError } = require(h.repo);

const collect = (stream) => new Promise((resolve, reject) => {
  let out = '';
  stream.setEncoding('utf8');
  stream.on('data', (d) => (out += d));
  stream.on('error', reject);
  stream.on('close', () => resolve(out));
});

function openFds() {
  return fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      fs.readlinkSync(`/proc/self/fd/${fd}`);
      return true;
    } catch {
      return false; // the readdir's own fd
    }
  }).sort();
}

function childrenOfThisProcess() {
  return fs.readdirSync('/proc/self/task').flatMap((tid) => fs.readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim().split(' ').filter(Boolean));
}

describe('exec (library)', () => {
  let root;
  let c;
  before(async () => {
    h.requirePrerequisites();
    root = h.stateRoot();
    const bundle = h.makeBundle((cfg) => {
      cfg.process.args = ['sleep', '1000'];
      cfg.process.env = ['PATH=/bin', 'KEEP=container'];
      forThisLayout(cfg);
    });
    c = await Container.create({ id: h.uniqueId('xlib'), bundle, root });
    await c.start();
  });
  after(async () => {
    if (c) await c.delete({ force: true });
    h.cleanup(root);
  });

  it('exec with pipes: stdin in, stdout and stderr out, the exit status', async () => {
    const p = await c.exec({ args: ['sh', '-c', 'cat; echo "$KEEP $NEW" >&2; exit 3'], env: ['NEW=added'] }, { stdio: 'pipe' });
    expect(p).to.be.instanceOf(ExecProcess);
    expect(p.pid).to.be.a('number');
    const out = collect(p.stdout);
    const err = collect(p.stderr);
    p.stdin.end('through the pipe\n');
    expect(await p.wait()).to.equal(3);
    expect(await out).to.equal('through the pipe\n');
    expect(await err).to.equal('container added\n');
  });

  it('is in the container: its pid namespace, cgroup and user as given', async () => {
    const p = await c.exec({ args: ['sh', '-c', 'echo $$; cat /proc/self/cgroup | md5sum; cat /proc/1/cgroup | md5sum; id -u'], user: { uid: 1000 } }, { stdio: ['ignore', 'pipe', 'inherit'] });
    expect(p.stdin).to.equal(null);
    const [nspid, own, init, uid] = (await collect(p.stdout)).trim().split('\n');
    expect(Number(nspid)).to.be.below(p.pid);
    expect(own).to.equal(init);
    expect(uid).to.equal('1000');
    expect(await p.wait()).to.equal(0);
  });

  it('kill(signal) reaches exactly it; wait() reports 128+n; kill after exit is false', async () => {
    const p = await c.exec({ args: ['sleep', '1000'] }, { stdio: 'ignore' });
    expect(p.kill('SIGKILL')).to.equal(true);
    expect(await p.wait()).to.equal(128 + 9);
    expect(p.kill('TERM')).to.equal(false);
    expect((await c.state()).status).to.equal('running');
  });

  it('20 concurrent execs into one container: all reaped, no fd left behind', async () => {
    const before = openFds();
    const procs = await Promise.all(Array.from({ length: 20 }, (_, i) => c.exec({ args: ['sh', '-c', `echo ${i}`] }, { stdio: ['ignore', 'pipe', 'ignore'] })));
    const outputs = await Promise.all(procs.map((p) => collect(p.stdout)));
    const statuses = await Promise.all(procs.map((p) => p.wait()));
    expect(outputs).to.deep.equal(Array.from({ length: 20 }, (_, i) => `${i}\n`));
    expect(statuses).to.deep.equal(new Array(20).fill(0));
    for (const p of procs) expect(h.processState(p.pid), `pid ${p.pid}`).to.equal(undefined);
    const pids = new Set(procs.map((p) => String(p.pid)));
    expect(childrenOfThisProcess().filter((pid) => pids.has(pid))).to.deep.equal([]);
    expect(openFds()).to.deep.equal(before);
  });

  it('a failed exec rejects with the runtime\'s error and leaves no fd or process', async () => {
    const before = openFds();
    let error;
    try {
      await c.exec({ args: ['no-such-binary'] }, { stdio: 'pipe' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(RuntimeError);
    expect(error.message).to.equal('unable to start container process: exec: "no-such-binary": executable file not found in $PATH');
    expect(openFds()).to.deep.equal(before);
    let terminal;
    try {
      await c.exec({ args: ['true'] }, { terminal: true, stdio: 'pipe' });
    } catch (e) {
      terminal = e;
    }
    expect(terminal.message).to.equal('exec: a terminal is the process\'s stdio; do not give stdio with it');
    expect(openFds()).to.deep.equal(before);
  });

  it('refuses a stopped container with runc\'s message', async () => {
    const bundle = h.makeBundle((cfg) => (forThisLayout(cfg).process.args = ['true']));
    const d = await Container.create({ id: h.uniqueId('xlib'), bundle, root });
    await d.start();
    await d.wait();
    let error;
    try {
      await d.exec({ args: ['true'] });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(StateError);
    expect(error.message).to.equal('cannot exec in a stopped container');
    await d.delete();
  });

  it('ignorePaused into a frozen cgroup: exec waits for the thaw without blocking the event loop', () => {
    // cgroup2 where the container has it: a helper cloned into a frozen
    // cgroup2 cgroup (CLONE_INTO_CGROUP) stops before its execveat.
    const dirs = JSON.parse(fs.readFileSync(path.join(root, c.id, 'state.json'), 'utf8')).cgroupDirs;
    const freezer = dirs.v2 ? undefined : dirs.v1.find((x) => x.controllers.includes('freezer'));
    const [dir, file, frozen, thawed] = freezer ? [freezer.path, 'freezer.state', 'FROZEN', 'THAWED'] : [dirs.v2.path, 'cgroup.freeze', '1', '0'];
    // In a child node: if exec blocked its event loop, only the timeout would end it.
    const script = `
      const fs = require('fs');
      const { Container } = require(${JSON.stringify(h.repo)});
      const dir = ${JSON.stringify(dir)};
      const tick = () => new Promise((r) => setTimeout(r, 20));
      (async () => {
        const c = await Container.load(${JSON.stringify(c.id)}, { root: ${JSON.stringify(root)} });
        fs.writeFileSync(dir + '/${file}', '${frozen}');
        let settled = false;
        const p = c.exec({ args: ['echo', 'after the thaw'] }, { ignorePaused: true, stdio: ['ignore', 'pipe', 'ignore'] });
        p.then(() => (settled = true), () => (settled = true));
        while (fs.readFileSync(dir + '/cgroup.procs', 'utf8').trim().split('\\n').length < 2) await tick();
        await tick();
        console.log(settled ? 'settled while frozen' : 'waiting while frozen');
        fs.writeFileSync(dir + '/${file}', '${thawed}');
        const x = await p;
        let out = '';
        x.stdout.on('data', (d) => (out += d));
        const status = await x.wait();
        await new Promise((r) => x.stdout.on('close', r));
        console.log(out.trim() + ' ' + status);
      })().catch((e) => { console.error(e.message); process.exit(1); });`;
    try {
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30000 });
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.equal('waiting while frozen\nafter the thaw 0\n');
    } finally {
      fs.writeFileSync(path.join(dir, file), thawed);
    }
  });

  it('detach: the process does not keep Node running; it is then reparented to the caller\'s subreaper', () => {
    const script = `
      const { Container } = require(${JSON.stringify(h.repo)});
      Container.load(${JSON.stringify(c.id)}, { root: ${JSON.stringify(root)} })
        .then((c) => c.exec({ args: ['sleep', '1000'] }, { detach: true, stdio: 'ignore' }))
        .then((p) => console.log(p.pid));`;
    // perl: a child subreaper (prctl 36, x86_64 syscall 157) that runs node, then reaps the orphan.
    const perl = `
      syscall(157, 36, 1, 0, 0, 0) == 0 or die "prctl: $!";
      my $pid = \`$ARGV[0] -e '$ARGV[1]'\`; $? == 0 or die "node failed: $?"; chomp $pid;
      open(my $s, "<", "/proc/$pid/status") or die "no $pid"; my ($ppid) = grep { /^PPid:/ } <$s>;
      print "ppid-is-me\\n" if $ppid =~ /^PPid:\\s+$$\\s*$/;
      kill 9, $pid; waitpid($pid, 0) == $pid and print "reaped\\n";`;
    const r = spawnSync('perl', ['-e', perl, process.execPath, script.replace(/'/g, "'\\''")], { encoding: 'utf8', timeout: 30000 });
    expect(r.stderr).to.equal('');
    expect(r.stdout).to.equal('ppid-is-me\nreaped\n');
  });
});
