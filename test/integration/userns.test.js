'use strict';
// User namespaces as root: the maps the container sees, who owns what it
// writes on the host, exec into it, joining one by path, and bad mappings.
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { requirePrerequisites, stateRoot, makeBundle, uniqueId, cli, cleanup } = require('../helpers/integration');

const BASE = 200000;
const SIZE = 65536;
const MAP = [{ containerID: 0, hostID: BASE, size: SIZE }];

/** A bundle whose rootfs belongs to the namespace's root, as a user-namespaced engine prepares it. */
function usernsBundle(args, edit) {
  const bundle = makeBundle((c) => {
    c.process.args = args;
    c.linux.namespaces.push({ type: 'user' });
    c.linux.uidMappings = MAP;
    c.linux.gidMappings = MAP;
    if (edit) edit(c);
  });
  // The namespace's root must reach the rootfs: mkdtemp made the bundle 0700.
  fs.chmodSync(bundle, 0o755);
  chownTree(path.join(bundle, 'rootfs'), BASE, BASE);
  return bundle;
}

function chownTree(dir, uid, gid) {
  fs.lchownSync(dir, uid, gid);
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) chownTree(p, uid, gid);
    else fs.lchownSync(p, uid, gid);
  }
}

function ok(r) {
  expect(r.stderr, r.stderr).to.equal('');
  expect(r.status).to.equal(0);
  return r.stdout;
}

describe('integration: user namespaces (as root)', function () {
  this.timeout(60000);
  let root;
  before(() => {
    requirePrerequisites();
    root = stateRoot();
  });
  after(() => cleanup(root));

  it('the container sees its uid_map and gid_map and runs as their root', () => {
    const bundle = usernsBundle(['sh', '-c', 'cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g']);
    const out = ok(cli(root, ['run', '-b', bundle, uniqueId('uns')]));
    const lines = out.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '));
    expect(lines).to.deep.equal([`0 ${BASE} ${SIZE}`, `0 ${BASE} ${SIZE}`, '0', '0']);
  });

  it('files the container creates are owned by the mapped host ids', () => {
    const bundle = usernsBundle(['sh', '-c', 'touch /tmp/by-root && touch /tmp/by-1000 && chown 1000:1001 /tmp/by-1000'], (c) => {
      for (const set of ['bounding', 'effective', 'permitted']) c.process.capabilities[set].push('CAP_CHOWN');
    });
    ok(cli(root, ['run', '-b', bundle, uniqueId('uns')]));
    const byRoot = fs.statSync(path.join(bundle, 'rootfs/tmp/by-root'));
    const by1000 = fs.statSync(path.join(bundle, 'rootfs/tmp/by-1000'));
    expect([byRoot.uid, byRoot.gid]).to.deep.equal([BASE, BASE]);
    expect([by1000.uid, by1000.gid]).to.deep.equal([BASE + 1000, BASE + 1001]);
  });

  it('proc, /dev (devices bound from the host), sysfs, cgroups and hostname work inside', () => {
    const script = [
      'test -c /dev/null && echo x > /dev/null && echo dev-ok',
      'head -c 4 /dev/zero | wc -c',
      'grep -q " /proc proc " /proc/self/mounts && echo proc-ok',
      'grep " /sys " /proc/self/mounts | cut -d" " -f3',
      'touch /sys/fs/cgroup/x 2>/dev/null && echo cgroup-writable || echo cgroup-ro',
      'hostname',
    ].join('; ');
    const out = ok(cli(root, ['run', '-b', usernsBundle(['sh', '-c', script], (c) => { c.hostname = 'in-userns'; }), uniqueId('uns')]));
    expect(out.trim().split('\n')).to.deep.equal(['dev-ok', '4', 'proc-ok', 'sysfs', 'cgroup-ro', 'in-userns']);
  });

  it('without a network namespace of its own, /sys is the host\'s, read-only', () => {
    const bundle = usernsBundle(['sh', '-c', 'grep " /sys " /proc/self/mounts | cut -d" " -f4 | cut -d, -f1; ls /sys/class/net | grep -c ^lo$'],
      (c) => { c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== 'network'); });
    expect(ok(cli(root, ['run', '-b', bundle, uniqueId('uns')])).trim().split('\n')).to.deep.equal(['ro', '1']);
  });

  it('exec enters the user namespace: its maps, its ids, files owned by mapped ids', () => {
    const bundle = usernsBundle(['sleep', '60']);
    const id = uniqueId('uns');
    ok(cli(root, ['run', '-d', '-b', bundle, id]));
    try {
      const out = ok(cli(root, ['exec', id, 'sh', '-c', 'cat /proc/self/uid_map; id -u']));
      expect(out.trim().split('\n').map((l) => l.trim().split(/\s+/).join(' '))).to.deep.equal([`0 ${BASE} ${SIZE}`, '0']);
      ok(cli(root, ['exec', '-u', '1000:1000', id, 'sh', '-c', 'id -u; touch /tmp/by-exec']));
      const st = fs.statSync(path.join(bundle, 'rootfs/tmp/by-exec'));
      expect([st.uid, st.gid]).to.deep.equal([BASE + 1000, BASE + 1000]);
      const state = JSON.parse(ok(cli(root, ['state', id])));
      // The pid in state is the host's: its uid_map is the container's.
      const hostMap = fs.readFileSync(`/proc/${state.pid}/uid_map`, 'utf8').trim().split(/\s+/).join(' ');
      expect(hostMap).to.equal(`0 ${BASE} ${SIZE}`);
    } finally {
      cli(root, ['delete', '--force', id]);
    }
  });

  it('joins the user (and network) namespace of another container by path', () => {
    const first = uniqueId('uns');
    ok(cli(root, ['run', '-d', '-b', usernsBundle(['sleep', '60']), first]));
    try {
      const pid = JSON.parse(ok(cli(root, ['state', first]))).pid;
      const bundle = usernsBundle(['sh', '-c', 'cat /proc/self/uid_map; id -u; readlink /proc/self/ns/user; touch /tmp/joined'], (c) => {
        delete c.linux.uidMappings;
        delete c.linux.gidMappings;
        c.linux.namespaces = c.linux.namespaces.map((n) => {
          if (n.type === 'user') return { type: 'user', path: `/proc/${pid}/ns/user` };
          if (n.type === 'network') return { type: 'network', path: `/proc/${pid}/ns/net` };
          return n;
        });
      });
      const lines = ok(cli(root, ['run', '-b', bundle, uniqueId('join')])).trim().split('\n');
      expect(lines[0].trim().split(/\s+/).join(' ')).to.equal(`0 ${BASE} ${SIZE}`);
      expect(lines[1]).to.equal('0');
      expect(lines[2]).to.equal(fs.readlinkSync(`/proc/${pid}/ns/user`));
      expect(fs.statSync(path.join(bundle, 'rootfs/tmp/joined')).uid).to.equal(BASE);
    } finally {
      cli(root, ['delete', '--force', first]);
    }
  });

  it('bad mappings fail the create with one line and leave nothing behind', () => {
    const bundle = usernsBundle(['true'], (c) => { c.process.user = { uid: SIZE + 5, gid: 0 }; });
    const id = uniqueId('uns');
    const r = cli(root, ['create', '-b', bundle, id]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(`ts-oci: create ${id}: ${bundle}/config.json: /process/user/uid: uid ${SIZE + 5} is not mapped by linux.uidMappings\n`);
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });

  it('a mapping the kernel refuses fails the create naming the file, and leaves nothing behind', () => {
    // Two container ranges mapping the same host ids: refused before anything exists.
    const bundle = usernsBundle(['true'], (c) => {
      c.linux.uidMappings = [...MAP, { containerID: SIZE, hostID: BASE, size: 1 }];
    });
    const id = uniqueId('uns');
    const r = cli(root, ['create', '-b', bundle, id]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/\/linux\/uidMappings\/1: host ids 200000 overlap \/linux\/uidMappings\/0/);
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });
});
