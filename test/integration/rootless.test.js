'use strict';
// Rootless: an ordinary user (made here, with /etc/subuid and /etc/subgid
// ranges, and removed after) runs containers with the CLI and the library,
// with the default --root under $XDG_RUNTIME_DIR and no writable cgroups.
const { expect } = require('chai');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { requirePrerequisites, repo, bin, chownTree } = require('../helpers/integration');
const { makeRootfs } = require('../../scripts/make-rootfs');

const NAME = `tsocirl${process.pid % 100000}`;
const SUB_START = 700000;
const SUB_COUNT = 65536;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Removes our line from /etc/subuid or /etc/subgid, leaving everyone else's. */
function dropSubLine(file) {
  if (!fs.existsSync(file)) return;
  const kept = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith(`${NAME}:`));
  fs.writeFileSync(file, kept.join('\n'));
}

function addSubLine(file) {
  dropSubLine(file);
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  fs.writeFileSync(file, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${NAME}:${SUB_START}:${SUB_COUNT}\n`);
}

/** Every path under `dir` not owned by `uid` (root-owned leftovers, say). */
function notOwnedBy(dir, uid) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (fs.lstatSync(p).uid !== uid) out.push(p);
    if (e.isDirectory() && !e.isSymbolicLink()) out.push(...notOwnedBy(p, uid));
  }
  return out;
}

/** Rootless Podman leaves a pause process holding its user namespace: the test user's processes, by pid. */
function killProcessesOf(uid) {
  if (uid === undefined) return;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.statSync(`/proc/${pid}`).uid === uid) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  for (let i = 0; i < 100 && spawnSync('pgrep', ['-U', String(uid)]).status === 0; i++) spawnSync('sleep', ['0.05']);
}

describe('integration: rootless (an ordinary user with subordinate ids)', function () {
  this.timeout(60000);
  let uid;
  let gid;
  let home;
  let xdg;
  let counter = 0;

  before(() => {
    requirePrerequisites();
    run('useradd', ['-M', '-d', '/nonexistent', '-s', '/bin/sh', NAME]);
    uid = Number(run('id', ['-u', NAME]).trim());
    gid = Number(run('id', ['-g', NAME]).trim());
    addSubLine('/etc/subuid');
    addSubLine('/etc/subgid');
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-rootless-'));
    fs.chmodSync(home, 0o755);
    xdg = path.join(home, 'xdg');
    fs.mkdirSync(xdg, { mode: 0o700 });
    chownTree(home, uid, gid);
  });

  after(() => {
    // Whatever a failed test left running: as the user, who owns it.
    const root = path.join(xdg, 'ts-oci');
    if (fs.existsSync(root)) for (const id of fs.readdirSync(root)) asUser(bin, ['delete', '--force', id]);
    killProcessesOf(uid);
    spawnSync('userdel', [NAME]);
    dropSubLine('/etc/subuid');
    dropSubLine('/etc/subgid');
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  // Output through files, not pipes: a created container keeps the CLI's
  // stdio open long after the CLI exited (test/helpers/integration.js cli()).
  function asUser(cmd, args, opts = {}) {
    const outFile = path.join(home, '.out');
    const errFile = path.join(home, '.err');
    const out = fs.openSync(outFile, 'w+');
    const err = fs.openSync(errFile, 'w+');
    try {
      const r = spawnSync(cmd, args, {
        uid, gid, cwd: opts.cwd ?? home, timeout: 60000, stdio: ['ignore', out, err],
        env: { PATH: process.env.PATH, HOME: home, USER: NAME, XDG_RUNTIME_DIR: xdg },
      });
      if (r.error) throw r.error;
      return { status: r.status, stdout: fs.readFileSync(outFile, 'utf8'), stderr: fs.readFileSync(errFile, 'utf8') };
    } finally {
      fs.closeSync(out);
      fs.closeSync(err);
      fs.rmSync(outFile, { force: true });
      fs.rmSync(errFile, { force: true });
    }
  }

  function ok(r) {
    expect(r.stderr, r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    return r.stdout;
  }

  /** `ts-oci spec --rootless` in a fresh bundle of the user's, with `edit` applied. */
  function bundle(args, edit) {
    const dir = path.join(home, `bundle-${++counter}`);
    fs.mkdirSync(dir);
    makeRootfs(path.join(dir, 'rootfs'));
    chownTree(dir, uid, gid);
    ok(asUser(bin, ['spec', '--rootless'], { cwd: dir }));
    const file = path.join(dir, 'config.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    config.process.terminal = false;
    config.process.args = args;
    if (edit) edit(config);
    fs.writeFileSync(file, JSON.stringify(config));
    fs.chownSync(file, uid, gid);
    return dir;
  }

  const mapLines = (text) => text.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));

  it('`spec --rootless` runs: root inside is the user outside, state under $XDG_RUNTIME_DIR', () => {
    const dir = bundle(['sh', '-c', 'cat /proc/self/uid_map /proc/self/gid_map; id -u; cat /proc/self/setgroups']);
    const r = asUser(bin, ['--debug', 'run', '-b', dir, 'r1']);
    expect(r.status, r.stderr).to.equal(0);
    expect(mapLines(r.stdout)).to.deep.equal([`0 ${uid} 1`, `0 ${gid} 1`, '0', 'deny']);
    expect(r.stderr).to.include(`root ${xdg}/ts-oci`);
    expect(r.stderr).to.match(/cgroups skipped: not writable by uid \d+/);
    expect(fs.readdirSync(path.join(xdg, 'ts-oci'))).to.deep.equal([]);
  });

  it('create, start, state, exec, kill and delete as the user', () => {
    const dir = bundle(['sleep', '60']);
    ok(asUser(bin, ['create', '-b', dir, 'r2']));
    ok(asUser(bin, ['start', 'r2']));
    const state = JSON.parse(ok(asUser(bin, ['state', 'r2'])));
    expect(state.status).to.equal('running');
    expect(fs.statSync(`/proc/${state.pid}`).uid).to.equal(uid);
    expect(mapLines(ok(asUser(bin, ['exec', 'r2', 'sh', '-c', 'cat /proc/self/uid_map; id -u'])))).to.deep.equal([`0 ${uid} 1`, '0']);
    ok(asUser(bin, ['kill', 'r2', 'KILL']));
    for (let i = 0; i < 100 && JSON.parse(ok(asUser(bin, ['state', 'r2']))).status !== 'stopped'; i++) spawnSync('sleep', ['0.05']);
    ok(asUser(bin, ['delete', 'r2']));
    expect(asUser(bin, ['state', 'r2']).stderr).to.include('container does not exist');
    expect(notOwnedBy(home, uid)).to.deep.equal([]);
  });

  it('subordinate ids through newuidmap/newgidmap: files owned by them on the host', () => {
    const maps = [{ containerID: 0, hostID: uid, size: 1 }, { containerID: 1, hostID: SUB_START, size: SUB_COUNT }];
    const dir = bundle(['sh', '-c', 'cat /proc/self/uid_map; touch /tmp/by-1000'], (c) => {
      c.root.readonly = false;
      c.linux.uidMappings = maps;
      c.linux.gidMappings = maps.map((m, i) => ({ ...m, hostID: i === 0 ? gid : m.hostID }));
      c.process.user = { uid: 1000, gid: 1000 };
    });
    expect(mapLines(ok(asUser(bin, ['run', '-b', dir, 'r3'])))).to.deep.equal([`0 ${uid} 1`, `1 ${SUB_START} ${SUB_COUNT}`]);
    const st = fs.statSync(path.join(dir, 'rootfs/tmp/by-1000'));
    expect([st.uid, st.gid]).to.deep.equal([SUB_START + 999, SUB_START + 999]);
    fs.rmSync(path.join(dir, 'rootfs/tmp/by-1000'));
  });

  it('ids the user does not own: one line naming the field, nothing left behind', () => {
    const dir = bundle(['true'], (c) => { c.linux.uidMappings = [{ containerID: 0, hostID: 0, size: 1 }]; });
    const r = asUser(bin, ['create', '-b', dir, 'r4']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(`ts-oci: create r4: ${dir}/config.json: /linux/uidMappings/0: host ids 0 are not yours to map (not your own id, nor in /etc/subuid for ${NAME})\n`);
    expect(fs.readdirSync(path.join(xdg, 'ts-oci'))).to.deep.equal([]);
  });

  it('the needs-root hint only where root would help: not for an EPERM inside the container\'s own user namespace', () => {
    // mqueue without an ipc namespace: the kernel refuses it to the user namespace's root, whoever runs ts-oci.
    const dir = bundle(['true'], (c) => { c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'ipc'); });
    const inside = asUser(bin, ['create', '-b', dir, 'r6']);
    expect(inside.status).to.equal(1);
    expect(inside.stderr).to.equal('ts-oci: create r6: mount mqueue on /dev/mqueue: EPERM\n');
    const lib = asUser(process.execPath, ['-e', `
      require(${JSON.stringify(path.join(repo, 'dist/index.js'))}).Container.create({ id: 'r6', bundle: ${JSON.stringify(dir)} })
        .catch((e) => console.log(e.message));`]);
    expect(lib.stdout).to.equal('mount mqueue on /dev/mqueue: EPERM\n');
    // A --root the user may not write: root would help, the hint stays.
    const outside = asUser(bin, ['--root', '/run/ts-oci-not-yours', 'create', '-b', dir, 'r6']);
    expect(outside.stderr).to.match(/^ts-oci: create r6: EACCES: .* \(ts-oci needs root for this: /);
    expect(fs.readdirSync(path.join(xdg, 'ts-oci'))).to.deep.equal([]);
  });

  it('a cgroup limit without a writable cgroup refuses the create', () => {
    const dir = bundle(['true'], (c) => { c.linux.resources = { pids: { limit: 10 } }; });
    const r = asUser(bin, ['create', '-b', dir, 'r5']);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/\/linux\/resources\/pids: cgroup limits need a cgroup uid \d+ may write \(a delegated subtree\)/);
    expect(fs.readdirSync(path.join(xdg, 'ts-oci'))).to.deep.equal([]);
  });

  it('the library, in a non-root Node process, with the default root', () => {
    const dir = bundle(['sh', '-c', 'exit 7']);
    const script = `
      const { Container } = require(${JSON.stringify(path.join(repo, 'dist/index.js'))});
      (async () => {
        const c = await Container.create({ id: 'lib1', bundle: ${JSON.stringify(dir)} });
        await c.start();
        const status = await c.wait();
        const listed = (await Container.list()).map((s) => s.id);
        await c.delete();
        console.log(JSON.stringify({ status, listed, left: (await Container.list()).length }));
      })().catch((e) => { console.error(e.message); process.exit(1); });`;
    const out = JSON.parse(ok(asUser(process.execPath, ['-e', script])));
    expect(out).to.deep.equal({ status: 7, listed: ['lib1'], left: 0 });
    expect(notOwnedBy(home, uid)).to.deep.equal([]);
  });

  it('Podman run by the user (rootless: vfs storage, --network none) runs a container with ts-oci', function () {
    this.timeout(120000);
    const rootfs = path.join(home, 'podman-rootfs');
    makeRootfs(rootfs);
    const tarball = path.join(home, 'busybox.tar');
    run('tar', ['-C', rootfs, '--numeric-owner', '-cf', tarball, '.']);
    chownTree(home, uid, gid);
    const podman = ['--root', path.join(home, 'storage'), '--runroot', path.join(xdg, 'podman'), '--storage-driver', 'vfs',
      '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', '--runtime', bin];
    const imported = asUser('/usr/bin/podman', [...podman, 'import', tarball, 'localhost/ts-oci-rootless']);
    expect(imported.status, imported.stderr).to.equal(0);
    const r = asUser('/usr/bin/podman', [...podman, 'run', '--rm', '--network', 'none', 'localhost/ts-oci-rootless',
      'sh', '-c', 'echo hello from rootless podman; id -u; cat /proc/self/uid_map | wc -l']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim().split('\n').map((l) => l.trim())).to.deep.equal(['hello from rootless podman', '0', '2']);
  });
});
