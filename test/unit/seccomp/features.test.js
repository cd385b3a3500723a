'use strict';
const { expect } = require('chai');
const { seccompFeatures } = require('../../../dist/seccomp/features');
const { native } = require('../../../dist/native');

describe('seccomp/features', () => {
  it('reports only what the kernel and the loaded libseccomp support', () => {
    const b = {
      seccompLibraryInfo: () => ({ version: '2.5.4', apiLevel: 6 }),
      seccompActionAvailable: (a) => a !== 0x7fc00000 && a !== 0x7ffc0000,
      seccompFlagSupported: (f) => f === 2,
      seccompCompile: (p) => (p.architectures[0] === 'x86_64' ? { bpf: Buffer.alloc(8), unknown: [] } : { error: { what: 'architecture', index: 0, call: 'seccomp_arch_add', errno: 33 } }),
    };
    const f = seccompFeatures(b);
    expect(f.enabled).to.equal(true);
    expect(f.actions).to.not.include.members(['SCMP_ACT_NOTIFY', 'SCMP_ACT_LOG']);
    expect(f.actions).to.include('SCMP_ACT_ERRNO');
    expect(f.archs).to.deep.equal(['SCMP_ARCH_X86_64']);
    expect(f.operators).to.have.length(7);
    expect(f.knownFlags).to.have.length(4);
    expect(f.supportedFlags).to.deep.equal(['SECCOMP_FILTER_FLAG_LOG']);
  });

  it('without libseccomp: not enabled', () => {
    expect(seccompFeatures({ seccompLibraryInfo: () => ({ libraryError: 'x' }) })).to.deep.equal({ enabled: false });
  });

  it('here: Docker\'s x86 set and every flag this kernel has', () => {
    const f = seccompFeatures(native());
    expect(f.archs).to.include.members(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    expect(f.knownFlags).to.include.members(f.supportedFlags);
  });
});
