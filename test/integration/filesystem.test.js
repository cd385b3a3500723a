'use strict';
// The container's filesystem: root, config mounts, /dev, masked and
// read-only paths, sysctls, root propagation, and probes of a hostile
// rootfs (symlinked /proc, /sys, /dev and mount destinations). Checked from
// inside the container.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

/** /proc/self/mountinfo text -> [{id, parent, root, point, opts, optional, fstype, source, superOpts}]. */
function parseMountinfo(text) {
  return text.trim().split('\n').filter(Boolean).map((line) => {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    return {
      id: f[0], parent: f[1], root: f[3], point: f[4], opts: f[5].split(','),
      optional: f.slice(6, dash), fstype: f[dash + 1], source: f[dash + 2], superOpts: f[dash + 3].split(','),
    };
  });
}

/** The last (topmost) mount at `point`. */
function mountAt(mounts, point) {
  const found = mounts.filter((m) => m.point === point);
  expect(found, `no mount at ${point}`).to.not.be.empty;
  return found[found.length - 1];
}

function sh(cmd) {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
  return r.stdout;
}

function hostMounts() {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8');
}

describe('filesystem (inside the container)', () => {
  let root;
  const hostDirs = [];
  const hostMountPoints = [];
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => {
    h.cleanup(root);
    for (const m of hostMountPoints.reverse()) spawnSync('umount', [m]);
    for (const d of hostDirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const run = (script, edit) => h.runOk(root, script, edit);
  const runBundle = (bundle, args = []) => {
    const r = h.cli(root, ['run', ...args, '-b', bundle, h.uniqueId('fs')]);
    expect(r.stderr, r.stderr).to.equal('');
    expect(r.status, r.stderr).to.equal(0);
    return r.stdout;
  };
  const hostDir = (name) => {
    const d = fs.mkdtempSync(path.join(h.work, `${name}-${process.pid}-`));
    hostDirs.push(d);
    return d;
  };
  const addMount = (c, m) => c.mounts.push(m);

  describe('root', () => {
    it('root.readonly: / refuses writes with EROFS, a tmpfs on /tmp stays writable', () => {
      const out = run('touch /x 2>&1; touch /tmp/y && echo tmp-ok; grep " / " /proc/self/mountinfo', (c) => {
        c.root.readonly = true;
        addMount(c, { destination: '/tmp', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev'] });
      });
      const [err, ok, rootLine] = out.trim().split('\n');
      expect(err).to.equal('touch: /x: Read-only file system');
      expect(ok).to.equal('tmp-ok');
      expect(parseMountinfo(rootLine)[0].opts).to.include('ro');
      // The control: a writable root takes the same write.
      expect(run('touch /x && echo ok')).to.equal('ok\n');
    });

    it('--no-pivot: the rootfs is / inside', () => {
      const bundle = h.makeBundle((c) => (c.process.args = ['sh', '-c', 'cat /marker; ls /proc/1/root/marker']));
      fs.writeFileSync(path.join(bundle, 'rootfs/marker'), `marker-${process.pid}\n`);
      expect(runBundle(bundle, ['--no-pivot'])).to.equal(`marker-${process.pid}\n/proc/1/root/marker\n`);
      // The flag is seen: a private root is refused without pivot_root (as runc).
      const config = JSON.parse(fs.readFileSync(path.join(bundle, 'config.json'), 'utf8'));
      config.linux.rootfsPropagation = 'private';
      fs.writeFileSync(path.join(bundle, 'config.json'), JSON.stringify(config));
      const refused = h.cli(root, ['run', '--no-pivot', '-b', bundle, h.uniqueId('nopivot')]);
      expect(refused.stderr).to.contain('rootfsPropagation of [r]private is not safe without pivot_root');
    });
  });

  describe('config mounts', () => {
    it('tmpfs with size, mode, noexec, nosuid and nodev: options and behaviour', () => {
      const script = [
        'grep -E " /(t|x) " /proc/self/mountinfo',
        'stat -c %a /t',
        // busybox picks its applet from argv[0]: keep the name.
        'mkdir /t/bin /x/bin && cp /bin/busybox /t/bin/ && cp /bin/busybox /x/bin/',
        '/t/bin/busybox true 2>&1; echo "noexec=$?"',
        '/x/bin/busybox true; echo "exec=$?"',
        'dd if=/dev/zero of=/t/fill bs=1024 count=8192 2>&1 | grep -o "No space left on device"',
      ].join('; ');
      const out = run(script, (c) => {
        addMount(c, { destination: '/t', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', 'size=4m', 'mode=700'] });
        addMount(c, { destination: '/x', type: 'tmpfs', source: 'tmpfs', options: ['size=4m'] });
      });
      const lines = out.trim().split('\n');
      const [t, x] = parseMountinfo(lines.slice(0, 2).join('\n'));
      expect(t.point).to.equal('/t');
      expect(t.fstype).to.equal('tmpfs');
      expect(t.opts).to.include.members(['rw', 'nosuid', 'nodev', 'noexec']);
      expect(t.superOpts).to.include.members(['size=4096k', 'mode=700']);
      expect(x.opts).to.not.include.members(['noexec']);
      expect(lines.slice(2)).to.deep.equal(['700', 'sh: /t/bin/busybox: Permission denied', 'noexec=126', 'exec=0',
        'No space left on device']);
    });

    it('mounts in config order: a later mount stacks on an earlier one', () => {
      const out = run('grep -E " /(a|a/b) " /proc/self/mountinfo; ls /a', (c) => {
        addMount(c, { destination: '/a', type: 'tmpfs', source: 'tmpfs', options: ['size=1m'] });
        addMount(c, { destination: '/a/b', type: 'tmpfs', source: 'tmpfs', options: ['size=2m'] });
      });
      const lines = out.trim().split('\n');
      const [a, b] = parseMountinfo(lines.slice(0, 2).join('\n'));
      expect([a.point, b.point]).to.deep.equal(['/a', '/a/b']);
      expect(b.parent).to.equal(a.id);
      expect(a.superOpts).to.include('size=1024k');
      expect(b.superOpts).to.include('size=2048k');
      expect(lines[2]).to.equal('b');
    });

    it('a destination that does not exist yet is created', () => {
      const out = run('[ -d /new/deep/dir ] && echo dir; grep -c " /new/deep/dir " /proc/self/mountinfo', (c) => {
        addMount(c, { destination: '/new/deep/dir', type: 'tmpfs', source: 'tmpfs' });
      });
      expect(out).to.equal('dir\n1\n');
    });

    it('bind mounts of a host directory, rw and ro', () => {
      const dir = hostDir('bind');
      fs.writeFileSync(path.join(dir, 'from-host'), 'host data\n');
      const script = 'cat /rw/from-host; echo inside > /rw/from-inside; touch /ro/x 2>&1; cat /ro/from-host';
      const out = run(script, (c) => {
        addMount(c, { destination: '/rw', type: 'bind', source: dir, options: ['rbind', 'rw'] });
        addMount(c, { destination: '/ro', type: 'bind', source: dir, options: ['rbind', 'ro'] });
      });
      expect(out).to.equal('host data\ntouch: /ro/x: Read-only file system\nhost data\n');
      expect(fs.readFileSync(path.join(dir, 'from-inside'), 'utf8')).to.equal('inside\n');
      expect(fs.existsSync(path.join(dir, 'x'))).to.equal(false);
    });

    it('a bind mount of a single host file onto a path that does not exist', () => {
      const dir = hostDir('file');
      const file = path.join(dir, 'conf');
      fs.writeFileSync(file, `file-${process.pid}\n`);
      const out = run('[ -f /etc/bound.conf ] && cat /etc/bound.conf; echo more >> /etc/bound.conf', (c) => {
        addMount(c, { destination: '/etc/bound.conf', type: 'bind', source: file, options: ['bind'] });
      });
      expect(out).to.equal(`file-${process.pid}\n`);
      expect(fs.readFileSync(file, 'utf8')).to.equal(`file-${process.pid}\nmore\n`);
    });

    describe('with a host directory that has a submount', () => {
      let dir;
      before(() => {
        dir = hostDir('rbind');
        fs.mkdirSync(path.join(dir, 'sub'));
        sh(`mount -t tmpfs -o size=1m tsoci-test ${dir}/sub && echo sub > ${dir}/sub/marker`);
        hostMountPoints.push(path.join(dir, 'sub'));
      });

      it('bind leaves the submount out, rbind takes it along', () => {
        const out = run('ls /b/sub; echo -; cat /rb/sub/marker', (c) => {
          addMount(c, { destination: '/b', type: 'bind', source: dir, options: ['bind'] });
          addMount(c, { destination: '/rb', type: 'bind', source: dir, options: ['rbind'] });
        });
        expect(out).to.equal('-\nsub\n');
      });

      it('rro makes the submount read-only too, ro only the top mount', () => {
        const script = 'touch /ro/sub/a 2>&1; touch /rro/sub/b 2>&1; touch /rro/c 2>&1; grep -E " /rro(/sub)? " /proc/self/mountinfo';
        const out = run(script, (c) => {
          addMount(c, { destination: '/ro', type: 'bind', source: dir, options: ['rbind', 'ro'] });
          addMount(c, { destination: '/rro', type: 'bind', source: dir, options: ['rbind', 'rro'] });
        });
        const lines = out.trim().split('\n');
        expect(lines.slice(0, 2)).to.deep.equal([
          'touch: /rro/sub/b: Read-only file system',
          'touch: /rro/c: Read-only file system',
        ]);
        const mounts = parseMountinfo(lines.slice(2).join('\n'));
        expect(mountAt(mounts, '/rro').opts).to.include('ro');
        expect(mountAt(mounts, '/rro/sub').opts).to.include('ro');
        expect(fs.existsSync(path.join(dir, 'sub/a'))).to.equal(true);
        expect(fs.existsSync(path.join(dir, 'sub/b'))).to.equal(false);
      });
    });

    it('tmpcopyup: the tmpfs starts with the image\'s tree (owners, modes, symlinks as symlinks), the image is untouched', () => {
      const bundle = h.makeBundle((c) => {
        c.process.args = ['sh', '-c', [
          'grep " /srv " /proc/self/mountinfo | cut -d" " -f5,9',
          'cat /srv/a/b/file; stat -c "%a %u:%g" /srv/a /srv/a/b/file',
          'readlink /srv/escape; ls /srv/escape/ 2>&1 | head -1',
          'echo new > /srv/new; cat /srv/new',
        ].join('; ')];
        addMount(c, { destination: '/srv', type: 'tmpfs', source: 'tmpfs', options: ['tmpcopyup', 'size=1m'] });
      });
      const srv = path.join(bundle, 'rootfs/srv');
      fs.mkdirSync(path.join(srv, 'a/b'), { recursive: true });
      fs.writeFileSync(path.join(srv, 'a/b/file'), 'from the image\n');
      fs.chmodSync(path.join(srv, 'a'), 0o750);
      fs.chownSync(path.join(srv, 'a/b/file'), 1234, 5678);
      // Followed, it would list the host's root: copied as a symlink, it resolves inside.
      fs.symlinkSync('/../../../../', path.join(srv, 'escape'));
      const id = h.uniqueId('copyup');
      const r = h.cli(root, ['run', '-b', bundle, id]);
      expect(r.stderr).to.equal('');
      expect(r.stdout.trim().split('\n')).to.deep.equal([
        '/srv tmpfs', 'from the image', '750 0:0', '644 1234:5678', '/../../../../', 'bin', 'new',
      ]);
      expect(fs.existsSync(path.join(srv, 'new'))).to.equal(false);
    });

    it('tmpcopyup with ro: copied first, read-only after', () => {
      const out = run('cat /etc/passwd | head -1; touch /etc/x 2>&1; grep " /etc " /proc/self/mountinfo | cut -d" " -f6', (c) => {
        addMount(c, { destination: '/etc', type: 'tmpfs', source: 'tmpfs', options: ['tmpcopyup', 'ro', 'nosuid'] });
      });
      const lines = out.trim().split('\n');
      expect(lines.slice(0, 2)).to.deep.equal(['root:x:0:0:root:/root:/bin/sh', 'touch: /etc/x: Read-only file system']);
      expect(lines[2].split(',')).to.include.members(['ro', 'nosuid']);
    });

    it('propagation options show in the optional fields of mountinfo', () => {
      const out = run('grep -E " /(shared|private) " /proc/self/mountinfo', (c) => {
        addMount(c, { destination: '/shared', type: 'tmpfs', source: 'tmpfs', options: ['rshared'] });
        addMount(c, { destination: '/private', type: 'tmpfs', source: 'tmpfs', options: ['rprivate'] });
      });
      const mounts = parseMountinfo(out);
      expect(mountAt(mounts, '/shared').optional.join(' ')).to.match(/^shared:\d+$/);
      expect(mountAt(mounts, '/private').optional).to.deep.equal([]);
    });
  });

  describe('rootfsPropagation', () => {
    // The host's mounts here are private: run the CLI in a mount namespace
    // whose mounts are shared, so "slave" has a master to show.
    const rootPropagation = (mode) => {
      const bundle = h.makeBundle((c) => {
        c.process.args = ['sh', '-c', 'awk \'$5 == "/"\' /proc/self/mountinfo'];
        if (mode) c.linux.rootfsPropagation = mode;
      });
      const r = spawnSync('unshare', ['-m', '--propagation', 'shared', h.bin, '--root', root, 'run', '-b', bundle, h.uniqueId('prop')],
        { encoding: 'utf8', timeout: 60000 });
      expect(r.stderr).to.equal('');
      expect(r.status).to.equal(0);
      return parseMountinfo(r.stdout)[0].optional.map((o) => o.replace(/\d+$/, 'N'));
    };

    it('private: the root has no peers and no master', () => {
      expect(rootPropagation('private')).to.deep.equal([]);
    });

    it('slave (and the default): the root is a slave of the host mount', () => {
      expect(rootPropagation('slave')).to.deep.equal(['master:N']);
      expect(rootPropagation(undefined)).to.deep.equal(['master:N']);
    });

    it('shared: the root is shared', () => {
      expect(rootPropagation('shared')).to.deep.equal(['shared:N']);
    });
  });

  describe('/dev', () => {
    it('the default devices with their type and major:minor', () => {
      const devices = { null: '1:3', zero: '1:5', full: '1:7', random: '1:8', urandom: '1:9', tty: '5:0' };
      const out = run(`stat -c "%n %F %t:%T %a" ${Object.keys(devices).map((d) => `/dev/${d}`).join(' ')}`);
      expect(out.trim().split('\n')).to.deep.equal(
        Object.entries(devices).map(([d, rdev]) => `/dev/${d} character special file ${rdev} 666`));
    });

    it('the default devices work (null swallows, zero reads zeros, full refuses)', () => {
      const out = run('echo x > /dev/null && echo null-ok; head -c 4 /dev/zero | od -An -tx1; { echo x > /dev/full; } 2>&1; head -c 8 /dev/urandom | wc -c');
      expect(out.replace(/ +/g, ' ')).to.equal('null-ok\n 00 00 00 00\nsh: write error: No space left on device\n8\n');
    });

    it('devpts with its ptmx, /dev/shm, /dev/mqueue and the standard symlinks', () => {
      const script = [
        'grep -E " /dev/(pts|shm|mqueue) " /proc/self/mountinfo',
        'stat -c "%F %t:%T" /dev/pts/ptmx',
        'for l in fd stdin stdout stderr ptmx; do echo "$l -> $(readlink /dev/$l)"; done',
      ].join('; ');
      const lines = run(script).trim().split('\n');
      const mounts = parseMountinfo(lines.slice(0, 3).join('\n'));
      expect(mountAt(mounts, '/dev/pts').fstype).to.equal('devpts');
      expect(mountAt(mounts, '/dev/pts').superOpts).to.include.members(['ptmxmode=666', 'mode=620', 'gid=5']);
      expect(mountAt(mounts, '/dev/shm').fstype).to.equal('tmpfs');
      expect(mountAt(mounts, '/dev/mqueue').fstype).to.equal('mqueue');
      expect(lines.slice(3)).to.deep.equal(['character special file 5:2', 'fd -> /proc/self/fd', 'stdin -> /proc/self/fd/0',
        'stdout -> /proc/self/fd/1', 'stderr -> /proc/self/fd/2', 'ptmx -> pts/ptmx']);
    });

    it('linux.devices: a char device with fileMode, uid and gid, and a fifo', () => {
      // Written by its owner: the device cgroup must allow a device the config lists.
      const out = run('stat -c "%n %F %t:%T %a %u:%g" /dev/mynull /dev/myfifo; echo x > /dev/mynull && echo write-ok', (c) => {
        c.process.user = { uid: 1000, gid: 1001 };
        c.linux.devices = [
          { path: '/dev/mynull', type: 'c', major: 1, minor: 3, fileMode: 0o600, uid: 1000, gid: 1001 },
          { path: '/dev/myfifo', type: 'p', fileMode: 0o640 },
        ];
      });
      expect(out).to.equal('/dev/mynull character special file 1:3 600 1000:1001\n/dev/myfifo fifo 0:0 640 0:0\nwrite-ok\n');
    });
  });

  describe('maskedPaths and readonlyPaths', () => {
    it('a masked file reads empty and is char 1:3; a masked dir is an empty read-only tmpfs; missing ones are fine', () => {
      const script = [
        'stat -c "%F %t:%T" /etc/secret; wc -c < /etc/secret',
        'ls -A /secrets | wc -l; touch /secrets/x 2>&1',
        'grep " /secrets " /proc/self/mountinfo',
        '[ -e /no/such/path ] || echo missing-stays-missing',
      ].join('; ');
      const bundle = h.makeBundle((c) => {
        c.process.args = ['sh', '-c', script];
        c.linux.maskedPaths = ['/etc/secret', '/secrets', '/no/such/path'];
      });
      fs.writeFileSync(path.join(bundle, 'rootfs/etc/secret'), 'top secret\n');
      fs.mkdirSync(path.join(bundle, 'rootfs/secrets'));
      fs.writeFileSync(path.join(bundle, 'rootfs/secrets/key'), 'key\n');
      const out = runBundle(bundle);
      const lines = out.trim().split('\n');
      expect(lines.slice(0, 4)).to.deep.equal(['character special file 1:3', '0', '0', 'touch: /secrets/x: Read-only file system']);
      const m = parseMountinfo(lines[4])[0];
      expect([m.fstype, m.opts[0]]).to.deep.equal(['tmpfs', 'ro']);
      expect(lines[5]).to.equal('missing-stays-missing');
    });

    it('readonlyPaths: /proc/sys refuses a write that would otherwise succeed', () => {
      // Whatever the namespace starts with (a host running dockerd copies
      // ip_forward=1 into new namespaces), try to flip it and report both values.
      const f = '/proc/sys/net/ipv4/ip_forward';
      const write = `v=$(cat ${f}); { echo $((1 - v)) > ${f}; } 2>&1 && echo written; echo "$v $(cat ${f})"`;
      const netAdmin = (c) => {
        for (const set of ['bounding', 'effective', 'permitted']) c.process.capabilities[set].push('CAP_NET_ADMIN');
      };
      const flipped = (out) => out.trim().split('\n').pop().split(' ');
      // The control: in its own network namespace, with CAP_NET_ADMIN, the write works.
      const control = run(write, (c) => {
        netAdmin(c);
        c.linux.readonlyPaths = [];
      });
      expect(control).to.match(/^written\n[01] [01]\n$/);
      const [before, after] = flipped(control);
      expect(Number(after)).to.equal(1 - Number(before));

      const refused = run(write, netAdmin);
      expect(refused).to.match(new RegExp(`^sh: can't create ${f}: Read-only file system\n[01] [01]\n$`));
      const [was, is] = flipped(refused);
      expect(is).to.equal(was);
    });
  });

  describe('sysctl', () => {
    it('sets net and ipc sysctls in the container\'s namespaces, the host keeps its values', () => {
      const hostForward = fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
      const hostShmmax = fs.readFileSync('/proc/sys/kernel/shmmax', 'utf8');
      const forward = hostForward.trim() === '1' ? '0' : '1';
      const out = run('cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax /proc/sys/net/ipv4/ip_default_ttl', (c) => {
        c.linux.sysctl = { 'net.ipv4.ip_forward': forward, 'kernel.shmmax': '123456789', 'net/ipv4/ip_default_ttl': '77' };
      });
      expect(out).to.equal(`${forward}\n123456789\n77\n`);
      expect(fs.readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).to.equal(hostForward);
      expect(fs.readFileSync('/proc/sys/kernel/shmmax', 'utf8')).to.equal(hostShmmax);
      expect(fs.readFileSync('/proc/sys/net/ipv4/ip_default_ttl', 'utf8')).to.not.equal('77\n');
    });
  });

  describe('security probes: a hostile rootfs or config', () => {
    const expectCreateFails = (bundle, pattern) => {
      const id = h.uniqueId('probe');
      const r = h.cli(root, ['run', '-b', bundle, id]);
      expect(r.status, r.stdout).to.not.equal(0);
      expect(r.stderr).to.match(pattern);
      expect(fs.existsSync(path.join(root, id))).to.equal(false);
      return r;
    };

    it('a rootfs /proc or /sys that is a symlink is refused, nothing is mounted', () => {
      for (const dir of ['proc', 'sys']) {
        const target = `/tsoci-bad-${dir}-${process.pid}`;
        const bundle = h.makeBundle((c) => (c.process.args = ['true']));
        fs.rmSync(path.join(bundle, 'rootfs', dir), { recursive: true });
        fs.symlinkSync(target, path.join(bundle, 'rootfs', dir));
        expectCreateFails(bundle, /must be mounted on ordinary directory/);
        expect(fs.existsSync(target)).to.equal(false);
        expect(fs.existsSync(path.join(bundle, 'rootfs', target))).to.equal(false);
        expect(hostMounts()).to.not.contain(`tsoci-bad-${dir}`);
      }
    });

    it('a masked path through a symlinked component does not mask outside the rootfs', () => {
      const outside = hostDir('maskout');
      fs.writeFileSync(path.join(outside, 'secret'), 'outside\n');
      const bundle = h.makeBundle((c) => {
        c.process.args = ['sh', '-c', 'cat /link/secret'];
        c.linux.maskedPaths = ['/link/secret'];
      });
      fs.symlinkSync(outside, path.join(bundle, 'rootfs/link'));
      const r = h.cli(root, ['run', '-b', bundle, h.uniqueId('probe')]);
      // Either refused, or resolved in-root (where nothing exists).
      expect(r.stdout).to.not.contain('outside');
      expect(fs.readFileSync(path.join(outside, 'secret'), 'utf8')).to.equal('outside\n');
      expect(hostMounts()).to.not.contain(outside);
    });

    it('a mount destination through an absolute symlink resolves inside the rootfs', () => {
      const esc = path.join(h.work, `tsoci-esc-${process.pid}`);
      hostDirs.push(esc);
      const source = hostDir('dangling-src');
      fs.writeFileSync(path.join(source, 'f'), 'bound\n');
      const dangling = path.join(h.work, `tsoci-dangling-${process.pid}`);
      hostDirs.push(dangling);
      const bundle = h.makeBundle((c) => {
        c.process.args = ['sh', '-c', `grep -E " ${esc}/a/b | ${dangling}/x " /proc/self/mountinfo | cut -d" " -f5; cat /dangle/x/f`];
        addMount(c, { destination: '/jump/a/b', type: 'tmpfs', source: 'tmpfs' });
        addMount(c, { destination: '/dangle/x', type: 'bind', source, options: ['bind'] });
      });
      fs.symlinkSync(esc, path.join(bundle, 'rootfs/jump'));
      fs.symlinkSync(dangling, path.join(bundle, 'rootfs/dangle'));
      const r = h.cli(root, ['run', '-b', bundle, h.uniqueId('probe')]);
      expect(fs.existsSync(esc), 'host path created through the symlink').to.equal(false);
      expect(fs.existsSync(dangling), 'host path created through the dangling symlink').to.equal(false);
      expect(hostMounts()).to.not.contain(`tsoci-esc-${process.pid}`);
      expect(r.stderr).to.equal('');
      expect(r.stdout).to.equal(`${esc}/a/b\n${dangling}/x\nbound\n`);
      expect(fs.statSync(path.join(bundle, 'rootfs', esc, 'a/b')).isDirectory()).to.equal(true);
    });

    it('a rootfs /dev that is a symlink to an outside directory leaves that directory untouched', () => {
      const outside = hostDir('devout');
      fs.writeFileSync(path.join(outside, 'ptmx'), 'marker\n');
      const bundle = h.makeBundle((c) => (c.process.args = ['true']));
      fs.rmSync(path.join(bundle, 'rootfs/dev'), { recursive: true });
      fs.symlinkSync(outside, path.join(bundle, 'rootfs/dev'));
      h.cli(root, ['run', '-b', bundle, h.uniqueId('probe')]);
      expect(fs.readdirSync(outside)).to.deep.equal(['ptmx']);
      expect(fs.readFileSync(path.join(outside, 'ptmx'), 'utf8')).to.equal('marker\n');
      expect(fs.lstatSync(path.join(outside, 'ptmx')).isFile()).to.equal(true);
      expect(hostMounts()).to.not.contain(outside);
    });

    it('a bind of a plain host directory onto /proc is refused', () => {
      const fake = hostDir('fakeproc');
      fs.writeFileSync(path.join(fake, 'fake'), 'not procfs\n');
      const bundle = h.makeBundle((c) => {
        c.process.args = ['true'];
        c.mounts = c.mounts.map((m) => (m.destination === '/proc' ? { destination: '/proc', type: 'bind', source: fake, options: ['rbind'] } : m));
      });
      expectCreateFails(bundle, /"\/proc" cannot be mounted because it is not of type proc/);
      // The control: a bind of a real procfs is accepted.
      const procBind = h.makeBundle((c) => {
        c.process.args = ['sh', '-c', 'stat -f -c %T /proc'];
        c.mounts = c.mounts.map((m) => (m.destination === '/proc' ? { destination: '/proc', type: 'bind', source: '/proc', options: ['rbind'] } : m));
      });
      expect(runBundle(procBind)).to.equal('proc\n');
    });
  });
});
