'use strict';
// linux.namespaces, hostname/domainname and timeOffsets, checked from inside
// the container against what the host (this test process) sees.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const h = require('../helpers/integration');

const NS_FILES = { ipc: 'ipc', uts: 'uts', network: 'net', mount: 'mnt', pid: 'pid', cgroup: 'cgroup', time: 'time' };
const hostNs = (type) => fs.readlinkSync(`/proc/self/ns/${NS_FILES[type]}`);
/** Prints `<type> <link>` for each namespace type, from inside. */
const PRINT_NS = Object.entries(NS_FILES).map(([t, f]) => `echo "${t} $(readlink /proc/self/ns/${f})"`).join('; ');
const parseNs = (out) => Object.fromEntries(out.trim().split('\n').map((l) => l.split(' ')));
const withoutNs = (c, ...types) => (c.linux.namespaces = c.linux.namespaces.filter((n) => !types.includes(n.type)));
const interfaces = (netDev) => netDev.split('\n').slice(2).filter(Boolean).map((l) => l.split(':')[0].trim()).sort();
const uptime = (text) => Number(text.split(' ')[0]);

describe('namespaces (inside the container)', () => {
  let root;
  before(() => {
    h.requirePrerequisites();
    root = h.stateRoot();
  });
  after(() => h.cleanup(root));

  const run = (script, edit) => h.runOk(root, script, edit);

  /** Creates a `sleep` container and passes its host pid to fn; always deleted. */
  const withCreated = (edit, fn) => {
    const bundle = h.makeBundle((c) => {
      c.process.args = ['sleep', '1000'];
      if (edit) edit(c);
    });
    const id = h.uniqueId('ns');
    try {
      const created = h.cli(root, ['create', '-b', bundle, id]);
      expect(created.stderr).to.equal('');
      expect(created.status).to.equal(0);
      const { pid } = JSON.parse(h.cli(root, ['state', id]).stdout);
      expect(pid).to.be.above(0);
      fn(pid, id);
    } finally {
      h.cli(root, ['delete', '--force', id]);
    }
  };

  it('the default config gets its own pid, network, ipc, uts, mount and cgroup namespaces', () => {
    const inside = parseNs(run(PRINT_NS));
    for (const type of ['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup']) {
      expect(inside[type], type).to.match(/^\w+:\[\d+\]$/);
      expect(inside[type], type).to.not.equal(hostNs(type));
    }
    // No time namespace in the default config.
    expect(inside.time).to.equal(hostNs('time'));
  });

  it('an omitted namespace is shared with the host', () => {
    const inside = parseNs(run(PRINT_NS, (c) => {
      withoutNs(c, 'network', 'ipc', 'uts', 'cgroup');
      delete c.hostname;
    }));
    for (const type of ['network', 'ipc', 'uts', 'cgroup']) expect(inside[type], type).to.equal(hostNs(type));
    for (const type of ['pid', 'mount']) expect(inside[type], type).to.not.equal(hostNs(type));
  });

  describe('pid', () => {
    it('the process is pid 1 and ps shows only the container\'s processes', () => {
      // The trailing true keeps sh from exec'ing ps in its place.
      const out = run('echo $$; ps -o pid,comm; true');
      const [self, header, ...procs] = out.trim().split('\n');
      expect(self).to.equal('1');
      expect(header.trim().split(/\s+/)).to.deep.equal(['PID', 'COMMAND']);
      const seen = procs.map((l) => l.trim().split(/\s+/));
      // sh (pid 1) and ps itself; never the host's init, node or mocha.
      expect(seen).to.have.length(2);
      expect(seen[0]).to.deep.equal(['1', 'sh']);
      expect(seen[1][1]).to.equal('ps');
    });
  });

  describe('network', () => {
    it('a new network namespace has only lo; without one the host\'s interfaces show', () => {
      const hostIfs = interfaces(fs.readFileSync('/proc/net/dev', 'utf8'));
      expect(hostIfs.length, 'the host needs an interface besides lo for this test').to.be.above(1);
      expect(interfaces(run('cat /proc/net/dev'))).to.deep.equal(['lo']);
      expect(interfaces(run('cat /proc/net/dev', (c) => withoutNs(c, 'network')))).to.deep.equal(hostIfs);
    });

    it('joins an existing network namespace by path', () => {
      const nsFile = path.join(h.work, `tsoci-netns-${process.pid}`);
      fs.writeFileSync(nsFile, '');
      try {
        // A persistent network namespace bound onto a file, with a sysctl
        // value only it has.
        const made = spawnSync('unshare', [`--net=${nsFile}`, 'sh', '-c', 'echo 99 > /proc/sys/net/ipv4/ip_default_ttl'], { encoding: 'utf8' });
        expect(made.stderr).to.equal('');
        expect(made.status).to.equal(0);
        const ino = fs.statSync(nsFile).ino;
        const out = run('readlink /proc/self/ns/net; cat /proc/sys/net/ipv4/ip_default_ttl', (c) => {
          c.linux.namespaces = c.linux.namespaces.map((n) => (n.type === 'network' ? { type: 'network', path: nsFile } : n));
        });
        expect(out).to.equal(`net:[${ino}]\n99\n`);
        expect(fs.readFileSync('/proc/sys/net/ipv4/ip_default_ttl', 'utf8')).to.not.equal('99\n');
      } finally {
        spawnSync('umount', [nsFile]);
        fs.rmSync(nsFile, { force: true });
      }
    });
  });

  describe('ipc', () => {
    it('the container\'s ipc namespace differs from the host\'s, seen from the host through its pid', () => {
      withCreated(undefined, (pid) => {
        const ipc = fs.readlinkSync(`/proc/${pid}/ns/ipc`);
        expect(ipc).to.match(/^ipc:\[\d+\]$/);
        expect(ipc).to.not.equal(hostNs('ipc'));
      });
    });

    it('joins the host\'s ipc and uts namespaces by path', () => {
      const inside = parseNs(run(PRINT_NS, (c) => {
        delete c.hostname;
        c.linux.namespaces = c.linux.namespaces.map((n) => (['ipc', 'uts'].includes(n.type)
          ? { type: n.type, path: `/proc/${process.pid}/ns/${NS_FILES[n.type]}` } : n));
      }));
      expect(inside.ipc).to.equal(hostNs('ipc'));
      expect(inside.uts).to.equal(hostNs('uts'));
      expect(inside.network).to.not.equal(hostNs('network'));
    });

    it('a System V shared memory limit set inside stays inside', () => {
      const before = fs.readFileSync('/proc/sys/kernel/shmmni', 'utf8');
      const out = run('cat /proc/sys/kernel/shmmni', (c) => (c.linux.sysctl = { 'kernel.shmmni': '321' }));
      expect(out).to.equal('321\n');
      expect(fs.readFileSync('/proc/sys/kernel/shmmni', 'utf8')).to.equal(before);
    });
  });

  describe('uts', () => {
    it('hostname and domainname come from the config', () => {
      const out = run('hostname; cat /proc/sys/kernel/domainname', (c) => {
        c.hostname = `tsoci-host-${process.pid}`;
        c.domainname = 'tsoci.example';
      });
      expect(out).to.equal(`tsoci-host-${process.pid}\ntsoci.example\n`);
      expect(require('os').hostname()).to.not.equal(`tsoci-host-${process.pid}`);
    });

    it('a hostname without a uts namespace is refused', () => {
      const hostname = require('os').hostname();
      const r = h.runScript(root, 'true', (c) => {
        withoutNs(c, 'uts');
        c.hostname = 'not-the-host';
      });
      expect(r.status).to.not.equal(0);
      expect(r.stderr).to.contain('unable to set hostname without a private UTS namespace');
      expect(require('os').hostname()).to.equal(hostname);
      expect(fs.existsSync(path.join(root, r.id))).to.equal(false);
    });
  });

  describe('mount', () => {
    it('mounts made inside do not appear on the host', () => {
      const marker = `tsoci-mnt-${process.pid}`;
      const out = run(`mkdir -p /m && mount -t tmpfs ${marker} /m && grep -c ${marker} /proc/self/mountinfo`, (c) => {
        for (const set of ['bounding', 'effective', 'permitted']) c.process.capabilities[set].push('CAP_SYS_ADMIN');
      });
      expect(out).to.equal('1\n');
      expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).to.not.contain(marker);
    });
  });

  describe('cgroup', () => {
    it('inside, every cgroup path is /; the host sees the real path', () => {
      const inside = run('cat /proc/self/cgroup').trim().split('\n');
      expect(inside.length).to.be.above(1);
      for (const line of inside) expect(line, line).to.match(/^\d+:[^:]*:\/$/);
      withCreated(undefined, (pid, id) => {
        const lines = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n');
        expect(lines.some((l) => l.endsWith(`/${id}`)), lines.join('\n')).to.equal(true);
      });
    });

    it('without a cgroup namespace the container sees its real path', () => {
      const id = h.uniqueId('cg');
      const bundle = h.makeBundle((c) => {
        c.process.args = ['cat', '/proc/self/cgroup'];
        withoutNs(c, 'cgroup');
      });
      const r = h.cli(root, ['run', '-b', bundle, id]);
      expect(r.stderr).to.equal('');
      expect(r.stdout.trim().split('\n').some((l) => l.endsWith(`/${id}`)), r.stdout).to.equal(true);
    });
  });

  describe('time', () => {
    it('timeOffsets: boottime and monotonic offsets apply inside', () => {
      const hostBefore = uptime(fs.readFileSync('/proc/uptime', 'utf8'));
      const out = run('cat /proc/self/timens_offsets; cat /proc/uptime; readlink /proc/self/ns/time', (c) => {
        c.linux.namespaces.push({ type: 'time' });
        c.linux.timeOffsets = { boottime: { secs: 1000000 }, monotonic: { secs: 500000, nanosecs: 7 } };
      });
      const hostAfter = uptime(fs.readFileSync('/proc/uptime', 'utf8'));
      const lines = out.trim().split('\n');
      expect(lines.slice(0, 2).map((l) => l.trim().split(/\s+/))).to.deep.equal([
        ['monotonic', '500000', '7'],
        ['boottime', '1000000', '0'],
      ]);
      const inside = uptime(lines[2]);
      expect(inside).to.be.above(hostBefore + 999000);
      expect(inside).to.be.below(hostAfter + 1001000);
      expect(lines[3]).to.not.equal(hostNs('time'));
    });

    it('a time namespace without offsets keeps the host\'s clocks', () => {
      const out = run('cat /proc/self/timens_offsets; readlink /proc/self/ns/time', (c) => c.linux.namespaces.push({ type: 'time' }));
      const lines = out.trim().split('\n');
      expect(lines.slice(0, 2).map((l) => l.trim().split(/\s+/))).to.deep.equal([['monotonic', '0', '0'], ['boottime', '0', '0']]);
      expect(lines[2]).to.not.equal(hostNs('time'));
    });
  });

  it('state reports the pid whose namespaces the container runs in', () => {
    withCreated(undefined, (pid, id) => {
      expect(h.cli(root, ['start', id]).status).to.equal(0);
      h.waitFor(() => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep'));
      for (const type of ['pid', 'network', 'uts', 'mount']) {
        expect(fs.readlinkSync(`/proc/${pid}/ns/${NS_FILES[type]}`), type).to.not.equal(hostNs(type));
      }
    });
  });

  it('joins another container\'s pid namespace by path', () => {
    withCreated(undefined, (pidA, idA) => {
      expect(h.cli(root, ['start', idA]).status).to.equal(0);
      h.waitFor(() => fs.readFileSync(`/proc/${pidA}/cmdline`, 'utf8').startsWith('sleep'));
      const out = run('echo "$$ $(readlink /proc/self/ns/pid)"; ps -o pid,args', (c) => {
        c.linux.namespaces = c.linux.namespaces.map((n) => (n.type === 'pid' ? { type: 'pid', path: `/proc/${pidA}/ns/pid` } : n));
      });
      const [first, ...ps] = out.trim().split('\n');
      const [ownPid, nsLink] = first.split(' ');
      expect(nsLink).to.equal(fs.readlinkSync(`/proc/${pidA}/ns/pid`));
      // Not the namespace's init: A's sleep is pid 1 there, and visible.
      expect(Number(ownPid)).to.be.above(1);
      expect(ps.join('\n')).to.match(/^\s*1\s+sleep 1000$/m);
    });
  });

  it('a container joined into a pid namespace is created, started and waited on like any other', () => {
    withCreated(undefined, (pidA) => {
      const bundle = h.makeBundle((c) => {
        c.process.args = ['sh', '-c', 'exit 7'];
        c.linux.namespaces = c.linux.namespaces.map((n) => (n.type === 'pid' ? { type: 'pid', path: `/proc/${pidA}/ns/pid` } : n));
      });
      const id = h.uniqueId('join');
      expect(h.cli(root, ['create', '-b', bundle, id]).status).to.equal(0);
      const { pid, status } = JSON.parse(h.cli(root, ['state', id]).stdout);
      expect(status).to.equal('created');
      expect(fs.readlinkSync(`/proc/${pid}/ns/pid`)).to.equal(fs.readlinkSync(`/proc/${pidA}/ns/pid`));
      expect(h.cli(root, ['start', id]).status).to.equal(0);
      h.waitFor(() => JSON.parse(h.cli(root, ['state', id]).stdout).status === 'stopped');
      expect(h.cli(root, ['delete', id]).status).to.equal(0);
    });
  });

  it('hooks of a container joined into a pid namespace get the state naming its init', () => {
    withCreated(undefined, (pidA) => {
      const bundle = h.makeBundle((c) => {
        c.process.args = ['true'];
        c.linux.namespaces = c.linux.namespaces.map((n) => (n.type === 'pid' ? { type: 'pid', path: `/proc/${pidA}/ns/pid` } : n));
        c.hooks = {
          createContainer: [{ path: '/bin/sh', args: ['sh', '-c', `cat > ${h.work}/cc-${process.pid}.json`] }],
          startContainer: [{ path: '/bin/sh', args: ['sh', '-c', 'cat > /sc.json'] }],
        };
      });
      const id = h.uniqueId('joinhook');
      const cc = `${h.work}/cc-${process.pid}.json`;
      try {
        expect(h.cli(root, ['create', '-b', bundle, id]).status).to.equal(0);
        const { pid } = JSON.parse(h.cli(root, ['state', id]).stdout);
        expect(JSON.parse(fs.readFileSync(cc, 'utf8'))).to.include({ id, pid, status: 'creating' });
        expect(h.cli(root, ['start', id]).status).to.equal(0);
        expect(JSON.parse(fs.readFileSync(path.join(bundle, 'rootfs/sc.json'), 'utf8'))).to.include({ id, pid, status: 'created' });
      } finally {
        fs.rmSync(cc, { force: true });
        h.cli(root, ['delete', '--force', id]);
      }
    });
  });
});
