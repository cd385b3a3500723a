'use strict';
const { expect } = require('chai');
const { describeOp } = require('../../../dist/plan/build');

describe('plan/describe: describeOp', () => {
  const cases = [
    [{ op: 'setns', path: '/run/netns/n', nstype: 0x40000000, ns: 'network' }, 'join network namespace /run/netns/n'],
    [{ op: 'unshare', flags: 0x2000000, ns: 'cgroup' }, 'unshare cgroup namespace'],
    [{ op: 'procWrite', path: 'sys/net/ipv4/ip_forward', value: '1' }, 'write /proc/sys/net/ipv4/ip_forward'],
    [{ op: 'rootPropagation', flags: 0x84000 }, 'set root mount propagation'],
    [{ op: 'rootfs', path: '/b/rootfs' }, 'prepare rootfs /b/rootfs'],
    [{ op: 'mount', source: 'proc', destination: '/proc', fstype: 'proc', flags: 0, data: '', propagation: 0, recAttrSet: 0 },
      'mount proc on /proc'],
    [{ op: 'mount', source: '/srv/x', destination: '/x', fstype: 'bind', flags: 0x5000, data: '', propagation: 0, recAttrSet: 0 },
      'mount /srv/x on /x'],
    [{ op: 'mount', source: '', destination: '/x', fstype: 'tmpfs', flags: 0, data: '', propagation: 0, recAttrSet: 0 },
      'mount tmpfs on /x'],
    [{ op: 'mount', source: 'tmpfs', destination: '/sys/fs/cgroup', fstype: 'tmpfs', flags: 0x21, data: '', propagation: 0,
      recAttrSet: 0 }, 'remount /sys/fs/cgroup'],
    [{ op: 'mknod', path: '/dev/null', type: 0o20000, mode: 0o666, major: 1, minor: 3, uid: 0, gid: 0 }, 'mknod /dev/null'],
    [{ op: 'bindDev', path: '/dev/null', hostPath: '/dev/null' }, 'bind mount /dev/null on /dev/null'],
    [{ op: 'symlink', target: 'pts/ptmx', path: '/dev/ptmx' }, 'symlink /dev/ptmx -> pts/ptmx'],
    [{ op: 'sync', tag: 1 }, 'run createRuntime hooks'],
    [{ op: 'hook', hook: 'createContainer', path: '/usr/bin/h', timeout: 0, args: [], env: [] }, 'hook createContainer /usr/bin/h'],
    [{ op: 'pivotRoot' }, 'pivot_root'],
    [{ op: 'chrootMove' }, 'move rootfs to / (--no-pivot)'],
    [{ op: 'mask', path: '/proc/kcore' }, 'mask /proc/kcore'],
    [{ op: 'readonly', path: '/proc/sys' }, 'make /proc/sys read-only'],
    [{ op: 'remountRootReadonly' }, 'remount / read-only'],
    [{ op: 'sethostname', name: 'h' }, 'sethostname'],
    [{ op: 'setdomainname', name: 'd' }, 'setdomainname'],
    [{ op: 'rlimit', name: 'RLIMIT_NOFILE', resource: 7, soft: 1n, hard: 1n }, 'setrlimit RLIMIT_NOFILE'],
    [{ op: 'capBounding', keep: 0n }, 'drop capabilities from the bounding set'],
    [{ op: 'keepCaps', on: true }, 'prctl PR_SET_KEEPCAPS 1'],
    [{ op: 'creds', uid: 1000, gid: 100, groups: [] }, 'set user 1000:100'],
    [{ op: 'caps', effective: 0n, permitted: 0n, inheritable: 0n, ambient: 0n }, 'capset'],
    [{ op: 'noNewPrivs' }, 'prctl PR_SET_NO_NEW_PRIVS'],
    [{ op: 'umask', mask: 18 }, 'umask'],
    [{ op: 'chdir', path: '/work' }, 'chdir to cwd "/work"'],
    [{ op: 'fifoOpen', path: '/run/c1/exec.fifo' }, 'open exec fifo /run/c1/exec.fifo'],
    [{ op: 'resolveExec', file: 'foo', pathEnv: '/bin' }, 'unable to start container process'],
    [{ op: 'created' }, 'wait for start'],
    [{ op: 'hookState', json: '{}' }, 'prepare hook state'],
    [{ op: 'exec', args: ['foo', 'bar'], env: [], preserveFds: 0 }, 'exec "foo"'],
    [{ op: 'seccomp', bpf: Buffer.alloc(0), flags: 0, atExec: false }, 'load seccomp filter'],
  ];
  for (const [op, text] of cases) {
    it(`${op.op} -> ${text}`, () => {
      expect(describeOp(op)).to.equal(text);
    });
  }

  it('covers every op kind', () => {
    const named = new Set(cases.map(([op]) => op.op));
    expect(named.size).to.equal(32);
  });
});
