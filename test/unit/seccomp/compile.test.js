'use strict';
// profile -> BPF through the real libseccomp (dlopen'ed by the addon), and
// what the program returns, evaluated by a cBPF interpreter: nothing is
// loaded into any process here.
const { expect } = require('chai');
const { compileSeccomp } = require('../../../dist/seccomp/compile');
const { native } = require('../../../dist/native');
const { ConfigError, RuntimeError } = require('../../../dist/errors');
const { fixture } = require('../../fixtures/configs/make-bundle');
const { verdict, RET } = require('../../helpers/bpf-eval');

const FILE = '/b/config.json';
const compile = (s, b) => compileSeccomp(s, FILE, b);
const errno = (e) => (RET.ERRNO | e) >>> 0;

function failure(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('did not throw');
}

describe('seccomp/compile', () => {
  it('a deny list: the named calls get the errno, others pass', () => {
    const { bpf, flags, notify, skipped } = compile({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO' }, { names: ['chmod'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 }],
    });
    expect(verdict(bpf, 'mkdir')).to.equal(errno(1));
    expect(verdict(bpf, 'mkdirat')).to.equal(errno(1));
    expect(verdict(bpf, 'chmod')).to.equal(errno(38));
    expect(verdict(bpf, 'getpid')).to.equal(RET.ALLOW);
    expect([flags, notify, skipped]).to.deep.equal([0, false, []]);
  });

  it('every action reaches the program', () => {
    const names = ['read', 'write', 'kill', 'ptrace', 'chmod', 'personality', 'mkdir', 'keyctl'];
    const actions = ['KILL', 'KILL_PROCESS', 'KILL_THREAD', 'TRAP', 'ERRNO', 'TRACE', 'LOG', 'NOTIFY'];
    const { bpf } = compile({
      defaultAction: 'SCMP_ACT_ALLOW', listenerPath: '/a.sock',
      syscalls: actions.map((a, i) => ({ names: [names[i]], action: `SCMP_ACT_${a}` })),
    });
    const want = [RET.KILL_THREAD, RET.KILL_PROCESS, RET.KILL_THREAD, RET.TRAP, errno(1), RET.TRACE | 1, RET.LOG, RET.NOTIFY];
    expect(names.map((n) => verdict(bpf, n))).to.deep.equal(want);
  });

  it('argument conditions: kill with signal 9 refused, 0 allowed', () => {
    const { bpf } = compile({
      defaultAction: 'SCMP_ACT_ALLOW',
      syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 9, op: 'SCMP_CMP_EQ' }] }],
    });
    expect(verdict(bpf, 'kill', [1, 9])).to.equal(errno(1));
    expect(verdict(bpf, 'kill', [1, 0])).to.equal(RET.ALLOW);
    expect(verdict(bpf, 'kill', [1, 9n | (1n << 32n)]), 'all 64 bits compared').to.equal(RET.ALLOW);
  });

  it('every operator compares as libseccomp defines it, on 64-bit values', () => {
    const cases = { NE: [[4, 6], [5]], LT: [[4], [5, 6]], LE: [[4, 5], [6]], EQ: [[5], [4, 6]], GE: [[5, 6], [4]], GT: [[6], [5]] };
    for (const [op, [hit, miss]] of Object.entries(cases)) {
      const { bpf } = compile({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 5, op: `SCMP_CMP_${op}` }] }] });
      for (const v of hit) expect(verdict(bpf, 'kill', [0, v]), `${v} ${op} 5`).to.equal(errno(1));
      for (const v of miss) expect(verdict(bpf, 'kill', [0, v]), `!(${v} ${op} 5)`).to.equal(RET.ALLOW);
    }
    const { bpf } = compile({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 2 ** 40, op: 'SCMP_CMP_GT' }] }] });
    expect(verdict(bpf, 'kill', [0, 2n ** 40n + 1n])).to.equal(errno(1));
    expect(verdict(bpf, 'kill', [0, 2n ** 32n])).to.equal(RET.ALLOW);
  });

  it("several conditions: AND'ed on different args, OR'ed on the same arg", () => {
    const and = compile({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 1, op: 'SCMP_CMP_EQ' }, { index: 1, value: 9, op: 'SCMP_CMP_EQ' }] }] }).bpf;
    expect(verdict(and, 'kill', [1, 9])).to.equal(errno(1));
    expect(verdict(and, 'kill', [2, 9])).to.equal(RET.ALLOW);
    expect(verdict(and, 'kill', [1, 15])).to.equal(RET.ALLOW);
    const or = compile({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 9, op: 'SCMP_CMP_EQ' }, { index: 1, value: 15, op: 'SCMP_CMP_EQ' }] }] }).bpf;
    expect(verdict(or, 'kill', [1, 9])).to.equal(errno(1));
    expect(verdict(or, 'kill', [1, 15])).to.equal(errno(1));
    expect(verdict(or, 'kill', [1, 2])).to.equal(RET.ALLOW);
  });

  it("the Docker-shaped profile: allow list, masked clone, personality values, clone3 ENOSYS, on x86_64, x86 and x32", () => {
    const { bpf, skipped } = compile(fixture('../seccomp/docker-default-shaped'));
    expect(skipped).to.deep.equal(['a_syscall_from_a_newer_kernel']);
    expect(verdict(bpf, 'getpid')).to.equal(RET.ALLOW);
    expect(verdict(bpf, 'execve')).to.equal(RET.ALLOW);
    expect(verdict(bpf, 'keyctl')).to.equal(errno(1));
    expect(verdict(bpf, 'ptrace')).to.equal(errno(1));
    // clone without namespace flags passes; CLONE_NEWUSER (0x10000000) is refused.
    expect(verdict(bpf, 'clone', [0x01200011])).to.equal(RET.ALLOW);
    expect(verdict(bpf, 'clone', [0x10000000])).to.equal(errno(1));
    expect(verdict(bpf, 'personality', [8])).to.equal(RET.ALLOW);
    expect(verdict(bpf, 'personality', [0x0040000])).to.equal(errno(1));
    // The other architectures of the set.
    expect(verdict(bpf, 'getpid', [], 'x86')).to.equal(RET.ALLOW);
    expect(verdict(bpf, 'socketcall', [], 'x86')).to.equal(RET.ALLOW);
    expect(verdict(bpf, 'getpid', [], 'x86_64', { x32: true })).to.equal(RET.ALLOW);
    expect(verdict(bpf, 'keyctl', [], 'x86_64', { x32: true })).to.equal(errno(1));
  });

  it('an architecture outside the profile is killed (libseccomp bad-arch action)', () => {
    const { bpf } = compile({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64'] });
    expect(verdict(bpf, 'getpid')).to.equal(RET.ALLOW);
    expect(verdict(bpf, 'getpid', [], 'x86')).to.equal(RET.KILL_THREAD);
  });

  it('refuses a program larger than the kernel loads', () => {
    const syscalls = Array.from({ length: 1000 }, (_, i) => ({
      names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: i, op: 'SCMP_CMP_EQ' }, { index: 1, value: i + 100, op: 'SCMP_CMP_EQ' }],
    }));
    const e = failure(() => compile({ defaultAction: 'SCMP_ACT_ALLOW', syscalls }));
    expect(e.message).to.match(/^\/b\/config\.json: \/linux\/seccomp: the compiled filter has \d+ instructions; the kernel loads at most 4096$/);
  });

  it('refuses a profile that denies execve, naming the field', () => {
    const e = failure(() => compile({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] }));
    expect(e).to.be.instanceOf(ConfigError);
    expect(e.message).to.equal(`${FILE}: /linux/seccomp: the profile denies execve: the container process could never start`);
  });

  it('refuses an architecture this libseccomp cannot combine with the host', () => {
    const e = failure(() => compile({ defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_S390X'] }));
    expect(e.message).to.match(/^\/b\/config\.json: \/linux\/seccomp\/architectures\/1: SCMP_ARCH_S390X cannot be added to a filter on this host \(seccomp_arch_add: E\w+\)$/);
  });

  it('refuses an action or flag the kernel lacks, naming the field', () => {
    const b = {
      ...native(),
      seccompCompile: native().seccompCompile,
      seccompActionAvailable: (a) => a !== 0x7fc00000,
      seccompFlagSupported: (f) => f !== 32,
    };
    const notify = { defaultAction: 'SCMP_ACT_ALLOW', listenerPath: '/a', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }, { names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }] };
    expect(failure(() => compile(notify, b)).message).to.equal(`${FILE}: /linux/seccomp/syscalls/1/action: SCMP_ACT_NOTIFY is not supported by this kernel`);
    const flags = { defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'] };
    expect(failure(() => compile(flags, b)).message).to.equal(`${FILE}: /linux/seccomp/flags/1: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is not supported by this kernel`);
  });

  describe('without libseccomp', () => {
    it('the addon loads and names the missing library (the real loader, another soname)', () => {
      expect(native().seccompLibraryProbe('libseccomp.so.2')).to.equal(null);
      const line = native().seccompLibraryProbe('libseccomp-missing.so.2');
      expect(line).to.match(/^libseccomp-missing\.so\.2 could not be loaded \(.*cannot open shared object file.*\): install libseccomp/);
    });

    it('a profile fails with one line naming the library', () => {
      const b = {
        seccompActionAvailable: () => true,
        seccompFlagSupported: () => true,
        seccompCompile: () => ({ libraryError: native().seccompLibraryProbe('libseccomp-missing.so.2') }),
      };
      const e = failure(() => compile({ defaultAction: 'SCMP_ACT_ALLOW' }, b));
      expect(e).to.be.instanceOf(RuntimeError);
      expect(e.message).to.match(/^linux\.seccomp needs libseccomp: libseccomp-missing\.so\.2 could not be loaded/);
      expect(e.message).to.not.include('\n');
    });
  });
});
