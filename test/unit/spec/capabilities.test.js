'use strict';
const { expect } = require('chai');
const { CAPABILITIES, capabilityMask, isKnownCapability } = require('../../../dist/spec/capabilities');
const { RLIMITS, rlimitValue, isKnownRlimit } = require('../../../dist/spec/rlimits');

describe('spec/capabilities', () => {
  it('numbers every capability through CAP_CHECKPOINT_RESTORE = 40 with no gaps', () => {
    const bits = Object.values(CAPABILITIES).sort((a, b) => a - b);
    expect(bits).to.deep.equal([...Array(41).keys()]);
    expect(CAPABILITIES.CAP_CHOWN).to.equal(0);
    expect(CAPABILITIES.CAP_SYS_ADMIN).to.equal(21);
    expect(CAPABILITIES.CAP_AUDIT_WRITE).to.equal(29);
    expect(CAPABILITIES.CAP_CHECKPOINT_RESTORE).to.equal(40);
  });

  const masks = [
    [[], 0n],
    [undefined, 0n],
    [['CAP_CHOWN'], 1n],
    [['CAP_KILL', 'CAP_NET_BIND_SERVICE', 'CAP_AUDIT_WRITE'], (1n << 5n) | (1n << 10n) | (1n << 29n)],
    [['CAP_KILL', 'CAP_KILL'], 1n << 5n],
    [['CAP_MAC_OVERRIDE', 'CAP_CHECKPOINT_RESTORE'], (1n << 32n) | (1n << 40n)],
  ];
  for (const [names, mask] of masks) {
    it(`masks ${JSON.stringify(names)} as 0x${mask.toString(16)}`, () => {
      expect(capabilityMask(names)).to.equal(mask);
    });
  }

  it('masks all capabilities as 41 one bits', () => {
    expect(capabilityMask(Object.keys(CAPABILITIES))).to.equal((1n << 41n) - 1n);
  });

  it('refuses unknown names', () => {
    expect(() => capabilityMask(['CAP_FOO'])).to.throw(RangeError, 'unknown capability "CAP_FOO"');
    expect(isKnownCapability('toString')).to.equal(false);
    expect(isKnownCapability('CAP_BPF')).to.equal(true);
  });
});

describe('spec/rlimits', () => {
  it('numbers the RLIMIT_* resources as the kernel does', () => {
    expect(RLIMITS).to.include({ RLIMIT_CPU: 0, RLIMIT_CORE: 4, RLIMIT_NPROC: 6, RLIMIT_NOFILE: 7, RLIMIT_RTTIME: 15 });
    expect(Object.keys(RLIMITS)).to.have.length(16);
    expect(isKnownRlimit('RLIMIT_FOO')).to.equal(false);
  });

  const values = [[0, 0n], [1024, 1024n], [2 ** 53, 2n ** 53n], [18446744073709551615, -1n], [2 ** 63, -1n]];
  for (const [value, expected] of values) {
    it(`passes ${value} to prlimit as ${expected}`, () => {
      expect(rlimitValue(value)).to.equal(expected);
    });
  }
});
