'use strict';
// User namespaces as root: the maps the container sees, who owns what it
// writes on the host, exec into it, joining one by path, and bad mappings.
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { requirePrerequisites, stateRoot, makeBundle, uniqueId, cli, cleanup, chownTree } = require('../helpers/integration');

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

  it('sysctls of the namespaces it owns, and hooks, work inside', () => {
    const { work } = require('../helpers/integration');
    const marker = fs.mkdtempSync(path.join(work, 'hooks-'));
    try {
      const hook = (name) => ({ path: '/bin/sh', args: ['sh', '-c', `cat > ${marker}/${name}`] });
      // ip_default_ttl, not ip_forward: a new namespace starts with 64 whatever the host's sysctls are.
      const bundle = usernsBundle(['sh', '-c', 'cat /proc/sys/net/ipv4/ip_default_ttl /proc/sys/kernel/shmmni; cat /proc/self/uid_map | wc -l'], (c) => {
        c.linux.sysctl = { 'net.ipv4.ip_default_ttl': '77', 'kernel.shmmni': '1234' };
        c.hooks = { createRuntime: [hook('createRuntime')], poststart: [hook('poststart')] };
      });
      const id = uniqueId('uns');
      expect(ok(cli(root, ['run', '-b', bundle, id])).trim().split('\n')).to.deep.equal(['77', '1234', '1']);
      for (const name of ['createRuntime', 'poststart']) {
        const state = JSON.parse(fs.readFileSync(path.join(marker, name), 'utf8'));
        expect(state.id).to.equal(id);
        expect(state.pid).to.be.a('number').above(0);
      }
    } finally {
      fs.rmSync(marker, { recursive: true, force: true });
    }
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

  it('an idmapped bind shows the mapped owner inside and keeps the real owner outside', () => {
    const { work } = require('../helpers/integration');
    const shared = fs.mkdtempSync(path.join(work, 'idmap-'));
    try {
      fs.chmodSync(shared, 0o777);
      fs.writeFileSync(path.join(shared, 'by-root'), '');
      fs.writeFileSync(path.join(shared, 'by-1000'), '');
      fs.chownSync(path.join(shared, 'by-1000'), 1000, 1000);
      const script = 'stat -c "%n %u:%g" /mnt/own/by-root /mnt/own/by-1000 /mnt/given/by-1000 /mnt/plain/by-root; touch /mnt/own/made-inside';
      const bundle = usernsBundle(['sh', '-c', script], (c) => {
        c.mounts.push(
          // The container's own mapping: host root's files are the container root's.
          { destination: '/mnt/own', type: 'bind', source: shared, options: ['rbind', 'idmap'] },
          // A mapping of its own: host uid/gid 1000 appear as the container's 5:7.
          { destination: '/mnt/given', type: 'bind', source: shared, options: ['rbind', 'ro', 'idmap'],
            uidMappings: [{ containerID: 1000, hostID: BASE + 5, size: 1 }],
            gidMappings: [{ containerID: 1000, hostID: BASE + 7, size: 1 }] },
          { destination: '/mnt/plain', type: 'bind', source: shared, options: ['rbind'] });
      });
      const lines = ok(cli(root, ['run', '-b', bundle, uniqueId('idm')])).trim().split('\n');
      expect(lines).to.deep.equal([
        '/mnt/own/by-root 0:0', '/mnt/own/by-1000 1000:1000', '/mnt/given/by-1000 5:7', '/mnt/plain/by-root 65534:65534',
      ]);
      // Outside nothing changed, and what the container's root made is the host root's.
      const owner = (f) => { const st = fs.statSync(path.join(shared, f)); return `${st.uid}:${st.gid}`; };
      expect([owner('by-root'), owner('by-1000'), owner('made-inside')]).to.deep.equal(['0:0', '1000:1000', '0:0']);
    } finally {
      fs.rmSync(shared, { recursive: true, force: true });
    }
  });

  it('a filesystem that cannot be idmapped fails the create with one line, leaving nothing behind', () => {
    const bundle = usernsBundle(['true'], (c) => {
      c.mounts.push({ destination: '/mnt/k', type: 'bind', source: '/sys/kernel', options: ['rbind', 'idmap'] });
    });
    const id = uniqueId('idm');
    const r = cli(root, ['create', '-b', bundle, id]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.equal(`ts-oci: create ${id}: idmapped mount /mnt/k: the filesystem of /sys/kernel cannot be idmapped\n`);
    expect(fs.existsSync(path.join(root, id))).to.equal(false);
  });

  it('ts-oci itself inside a user namespace (as Podman rootless runs it): devices bound, cgroups skipped, ids only', () => {
    const { bin } = require('../helpers/integration');
    const bundle = makeBundle((c) => {
      c.process.args = ['sh', '-c', 'test -c /dev/null && echo dev-ok; grep " /sys " /proc/self/mounts | cut -d" " -f3; id -u'];
      delete c.linux.resources;
      // `unshare -r` maps only root: devpts's gid=5 would not exist there.
      for (const m of c.mounts) if (m.options) m.options = m.options.filter((o) => !/^gid=/.test(o));
    });
    const r = spawnSync('unshare', ['-Ur', bin, '--debug', '--root', root, 'run', '-b', bundle, uniqueId('inns')], { encoding: 'utf8', timeout: 60000 });
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout.trim().split('\n')).to.deep.equal(['dev-ok', 'sysfs', '0']);
    expect(r.stderr).to.match(/cgroups skipped: not writable by uid 0/);
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
