'use strict';
// Bad profiles are refused at load, before anything is created, with one
// line naming config.json and the field (schema errors for unknown names,
// validate.ts for what the schema cannot express).
const { expect } = require('chai');
const { loadConfig } = require('../../../dist/spec/load');
const { ConfigError } = require('../../../dist/errors');
const { validateSeccomp, deniesExecve } = require('../../../dist/seccomp/validate');
const { fixture, makeBundle, removeBundles } = require('../../fixtures/configs/make-bundle');

const allow = { names: ['getpid'], action: 'SCMP_ACT_ALLOW' };

function loadError(seccomp) {
  const c = fixture('minimal');
  c.linux.seccomp = seccomp;
  const bundle = makeBundle(c);
  try {
    loadConfig(bundle);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    expect(e.message).to.not.include('\n');
    return e.message.slice(bundle.length + '/config.json: '.length);
  }
  throw new Error('loadConfig accepted the profile');
}

describe('seccomp/validate', () => {
  after(removeBundles);

  const bad = [
    ['an unknown action', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_NOPE' }] }, '/linux/seccomp/syscalls/0/action'],
    ['an unknown default action', { defaultAction: 'SCMP_ACT_MAYBE' }, '/linux/seccomp/defaultAction'],
    ['an unknown operator', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 9, op: 'SCMP_CMP_ALMOST' }] }] }, '/linux/seccomp/syscalls/0/args/0/op'],
    ['an unknown architecture', { defaultAction: 'SCMP_ACT_ALLOW', architectures: ['SCMP_ARCH_Z80'] }, '/linux/seccomp/architectures/0'],
    ['an unknown flag', { defaultAction: 'SCMP_ACT_ALLOW', flags: ['SECCOMP_FILTER_FLAG_FAST'] }, '/linux/seccomp/flags/0'],
    ['no names', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: [], action: 'SCMP_ACT_ERRNO' }] }, '/linux/seccomp/syscalls/0/names'],
  ];
  for (const [what, seccomp, field] of bad) {
    it(`refuses ${what} (schema), naming ${field}`, () => {
      expect(loadError(seccomp)).to.match(new RegExp(`^${field}: `));
    });
  }

  const semantic = [
    ['an arg index over 5', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [allow, allow, allow, { names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 6, value: 9, op: 'SCMP_CMP_EQ' }] }] },
      '/linux/seccomp/syscalls/3/args/0/index: must be 0..5'],
    ['an empty name', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill', ''], action: 'SCMP_ACT_ERRNO' }] },
      '/linux/seccomp/syscalls/0/names/1: empty string is not a valid syscall'],
    ['errnoRet on an action without an errno', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_KILL', errnoRet: 1 }] },
      '/linux/seccomp/syscalls/0/errnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, not SCMP_ACT_KILL'],
    ['defaultErrnoRet on a default without an errno', { defaultAction: 'SCMP_ACT_ALLOW', defaultErrnoRet: 1 },
      '/linux/seccomp/defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take an errno, not SCMP_ACT_ALLOW'],
    ['an errno the kernel cannot return', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', errnoRet: 5000 }] },
      '/linux/seccomp/syscalls/0/errnoRet: must be an integer 0..4095'],
    ['NOTIFY as the default action', { defaultAction: 'SCMP_ACT_NOTIFY', listenerPath: '/run/agent.sock' },
      '/linux/seccomp/defaultAction: SCMP_ACT_NOTIFY cannot be used as default action'],
    ['NOTIFY without a listenerPath', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }] },
      '/linux/seccomp/listenerPath: SCMP_ACT_NOTIFY needs a listenerPath to send the listener to'],
    ['NOTIFY on the syscalls that hand the listener over', { defaultAction: 'SCMP_ACT_ALLOW', listenerPath: '/run/a.sock', syscalls: [{ names: ['mkdir', 'sendmsg'], action: 'SCMP_ACT_NOTIFY' }] },
      '/linux/seccomp/syscalls/0/names/1: SCMP_ACT_NOTIFY cannot be used for the sendmsg syscall: ts-oci-init sends the listener with it'],
    ['a listenerPath too long for a socket', { defaultAction: 'SCMP_ACT_ALLOW', listenerPath: `/${'x'.repeat(120)}`, syscalls: [{ names: ['mkdir'], action: 'SCMP_ACT_NOTIFY' }] },
      '/linux/seccomp/listenerPath: longer than 107 bytes'],
    ['listenerMetadata without listenerPath', { defaultAction: 'SCMP_ACT_ALLOW', listenerMetadata: 'x' },
      '/linux/seccomp/listenerMetadata: must not be set without listenerPath'],
    ['valueTwo on an operator that ignores it', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 9, valueTwo: 3, op: 'SCMP_CMP_EQ' }] }] },
      '/linux/seccomp/syscalls/0/args/0/valueTwo: is only used by SCMP_CMP_MASKED_EQ, not SCMP_CMP_EQ'],
    ['a value JSON cannot carry exactly', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [{ index: 1, value: 2 ** 60, op: 'SCMP_CMP_EQ' }] }] },
      '/linux/seccomp/syscalls/0/args/0/value: must be an integer 0..2^53-1 (larger JSON numbers lose precision)'],
    ['more than six conditions', { defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['kill'], action: 'SCMP_ACT_ERRNO', args: [0, 1, 2, 3, 4, 5, 0].map((index) => ({ index, value: 0, op: 'SCMP_CMP_EQ' })) }] },
      '/linux/seccomp/syscalls/0/args: a syscall has at most 6 arguments'],
  ];
  for (const [what, seccomp, line] of semantic) {
    it(`refuses ${what}`, () => {
      expect(loadError(seccomp)).to.equal(line);
    });
  }

  it('accepts every action, operator, flag and the Docker-shaped profile', () => {
    const ok = (s) => validateSeccomp(s, (f, m) => { throw new Error(`${f}: ${m}`); });
    ok(fixture('../seccomp/docker-default-shaped'));
    ok({
      defaultAction: 'SCMP_ACT_TRACE', defaultErrnoRet: 7, listenerPath: '/run/agent.sock', listenerMetadata: 'm',
      flags: ['SECCOMP_FILTER_FLAG_TSYNC', 'SECCOMP_FILTER_FLAG_LOG', 'SECCOMP_FILTER_FLAG_SPEC_ALLOW', 'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV'],
      syscalls: ['KILL', 'KILL_PROCESS', 'KILL_THREAD', 'TRAP', 'ERRNO', 'TRACE', 'ALLOW', 'LOG', 'NOTIFY'].map((a, i) => ({
        names: [`call${i}`], action: `SCMP_ACT_${a}`,
        args: [{ index: i % 6, value: 1, valueTwo: 1, op: 'SCMP_CMP_MASKED_EQ' }, ...['NE', 'LT', 'LE', 'EQ', 'GE', 'GT'].map((op, k) => ({ index: k, value: 2, op: `SCMP_CMP_${op}` })).slice(0, 5)],
      })),
    });
  });

  describe('deniesExecve', () => {
    it('is true only when no rule can let execve through', () => {
      expect(deniesExecve({ defaultAction: 'SCMP_ACT_ERRNO' })).to.equal(true);
      expect(deniesExecve({ defaultAction: 'SCMP_ACT_KILL', syscalls: [{ names: ['read'], action: 'SCMP_ACT_ALLOW' }] })).to.equal(true);
      expect(deniesExecve({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['execve'], action: 'SCMP_ACT_ERRNO' }] })).to.equal(true);
      expect(deniesExecve({ defaultAction: 'SCMP_ACT_ERRNO', syscalls: [{ names: ['execve'], action: 'SCMP_ACT_ALLOW' }] })).to.equal(false);
      expect(deniesExecve({ defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['execve'], action: 'SCMP_ACT_ERRNO', args: [{ index: 0, value: 0, op: 'SCMP_CMP_EQ' }] }] })).to.equal(false);
      expect(deniesExecve(fixture('../seccomp/docker-default-shaped'))).to.equal(false);
    });
  });
});
