'use strict';
const { expect } = require('chai');
const { parseMountOptions, knownMountOptions } = require('../../../dist/plan/mount-options');

const MS = {
  RDONLY: 0x1, NOSUID: 0x2, NODEV: 0x4, NOEXEC: 0x8, SYNCHRONOUS: 0x10, REMOUNT: 0x20, MANDLOCK: 0x40, DIRSYNC: 0x80,
  NOSYMFOLLOW: 0x100, NOATIME: 0x400, NODIRATIME: 0x800, BIND: 0x1000, REC: 0x4000, SILENT: 0x8000,
  UNBINDABLE: 0x20000, PRIVATE: 0x40000, SLAVE: 0x80000, SHARED: 0x100000, RELATIME: 0x200000,
  I_VERSION: 0x800000, STRICTATIME: 0x1000000, LAZYTIME: 0x2000000,
};
const ATTR = { RDONLY: 0x1, NOSUID: 0x2, NODEV: 0x4, NOEXEC: 0x8, ATIME: 0x70, NOATIME: 0x10, STRICTATIME: 0x20,
  NODIRATIME: 0x80, NOSYMFOLLOW: 0x200000 };

describe('plan/mount-options: parseMountOptions', () => {
  const flagCases = [
    // [options, flags, clearedFlags]
    [['ro'], MS.RDONLY, 0],
    [['rw'], 0, MS.RDONLY],
    [['ro', 'rw'], 0, MS.RDONLY],
    [['rw', 'ro'], MS.RDONLY, 0],
    [['nosuid', 'nodev', 'noexec'], MS.NOSUID | MS.NODEV | MS.NOEXEC, 0],
    [['nosuid', 'suid'], 0, MS.NOSUID],
    [['nodev', 'dev'], 0, MS.NODEV],
    [['noexec', 'exec'], 0, MS.NOEXEC],
    [['sync'], MS.SYNCHRONOUS, 0],
    [['sync', 'async'], 0, MS.SYNCHRONOUS],
    [['dirsync'], MS.DIRSYNC, 0],
    [['remount'], MS.REMOUNT, 0],
    [['mand'], MS.MANDLOCK, 0],
    [['mand', 'nomand'], 0, MS.MANDLOCK],
    [['noatime'], MS.NOATIME, 0],
    [['noatime', 'atime'], 0, MS.NOATIME],
    [['nodiratime'], MS.NODIRATIME, 0],
    [['nodiratime', 'diratime'], 0, MS.NODIRATIME],
    [['relatime'], MS.RELATIME, 0],
    [['relatime', 'norelatime'], 0, MS.RELATIME],
    [['strictatime'], MS.STRICTATIME, 0],
    [['strictatime', 'nostrictatime'], 0, MS.STRICTATIME],
    [['bind'], MS.BIND, 0],
    [['rbind'], MS.BIND | MS.REC, 0],
    [['silent'], MS.SILENT, 0],
    [['silent', 'loud'], 0, MS.SILENT],
    [['iversion'], MS.I_VERSION, 0],
    [['lazytime'], MS.LAZYTIME, 0],
    [['nosymfollow'], MS.NOSYMFOLLOW, 0],
    [['nosymfollow', 'symfollow'], 0, MS.NOSYMFOLLOW],
    [['defaults'], 0, 0],
  ];
  for (const [options, flags, clearedFlags] of flagCases) {
    it(`${options.join(',')} -> flags 0x${flags.toString(16)}, cleared 0x${clearedFlags.toString(16)}`, () => {
      const o = parseMountOptions(options);
      expect([o.flags, o.clearedFlags, o.data]).to.deep.equal([flags, clearedFlags, '']);
    });
  }

  const propagationCases = [
    ['private', MS.PRIVATE], ['rprivate', MS.PRIVATE | MS.REC], ['shared', MS.SHARED], ['rshared', MS.SHARED | MS.REC],
    ['slave', MS.SLAVE], ['rslave', MS.SLAVE | MS.REC], ['unbindable', MS.UNBINDABLE], ['runbindable', MS.UNBINDABLE | MS.REC],
  ];
  for (const [option, flag] of propagationCases) {
    it(`${option} is a propagation change, not a mount flag`, () => {
      const o = parseMountOptions(['rbind', option]);
      expect(o.propagation).to.deep.equal([flag]);
      expect(o.flags).to.equal(MS.BIND | MS.REC);
    });
  }

  it('keeps propagation changes in order', () => {
    expect(parseMountOptions(['shared', 'rslave']).propagation).to.deep.equal([MS.SHARED, MS.SLAVE | MS.REC]);
  });

  const recursiveCases = [
    // [options, recAttrSet, recAttrClr, recursiveClears]
    [['rro'], ATTR.RDONLY, 0, []],
    [['rnosuid', 'rnodev', 'rnoexec'], ATTR.NOSUID | ATTR.NODEV | ATTR.NOEXEC, 0, []],
    [['rnodiratime'], ATTR.NODIRATIME, 0, []],
    [['rnosymfollow'], ATTR.NOSYMFOLLOW, 0, []],
    // An atime mode in attr_set needs MOUNT_ATTR__ATIME in attr_clr (mount_setattr(2)).
    [['rnoatime'], ATTR.NOATIME, ATTR.ATIME, []],
    [['rstrictatime'], ATTR.STRICTATIME, ATTR.ATIME, []],
    [['rrelatime'], 0, ATTR.ATIME, []],
    [['rro', 'rrw'], 0, ATTR.RDONLY, ['rrw']],
    [['rsuid'], 0, ATTR.NOSUID, ['rsuid']],
    [['rdev', 'rexec', 'rdiratime'], 0, ATTR.NODEV | ATTR.NOEXEC | ATTR.NODIRATIME, ['rdev', 'rexec', 'rdiratime']],
    [['ratime'], 0, ATTR.NOATIME, ['ratime']],
    [['rsymfollow'], 0, ATTR.NOSYMFOLLOW, ['rsymfollow']],
  ];
  for (const [options, set, clr, clears] of recursiveCases) {
    it(`${options.join(',')} -> attr_set 0x${set.toString(16)}, attr_clr 0x${clr.toString(16)}`, () => {
      const o = parseMountOptions(options);
      expect([o.recAttrSet, o.recAttrClr, o.recursiveClears, o.flags]).to.deep.equal([set, clr, clears, 0]);
    });
  }

  it('passes unknown options to the filesystem as data, in order', () => {
    const o = parseMountOptions(['nosuid', 'newinstance', 'ptmxmode=0666', 'ro', 'mode=0620', 'gid=5']);
    expect(o.data).to.equal('newinstance,ptmxmode=0666,mode=0620,gid=5');
    expect(o.flags).to.equal(MS.NOSUID | MS.RDONLY);
  });

  it('flags idmap, ridmap and tmpcopyup without passing them as data', () => {
    expect(parseMountOptions(['idmap'])).to.include({ idmap: true, recursiveIdmap: false, data: '' });
    expect(parseMountOptions(['ridmap'])).to.include({ idmap: true, recursiveIdmap: true, data: '' });
    expect(parseMountOptions(['tmpcopyup'])).to.include({ tmpcopyup: true, idmap: false, data: '' });
  });

  it('treats no options as no flags', () => {
    expect(parseMountOptions(undefined)).to.deep.equal({
      flags: 0, clearedFlags: 0, propagation: [], recAttrSet: 0, recAttrClr: 0,
      data: '', idmap: false, recursiveIdmap: false, tmpcopyup: false, recursiveClears: [],
    });
  });

  it('does not mistake Object.prototype names for options', () => {
    expect(parseMountOptions(['constructor', 'toString']).data).to.equal('constructor,toString');
  });
});

describe('plan/mount-options: knownMountOptions', () => {
  it('lists what is applied, including rro, and not what is unsupported', () => {
    const known = knownMountOptions();
    expect(known).to.include.members(['ro', 'rbind', 'rprivate', 'rro', 'rnosuid', 'nosymfollow', 'defaults', 'idmap', 'ridmap']);
    expect(known).to.not.include.members(['tmpcopyup', 'rrw']);
    expect(known).to.deep.equal([...known].sort());
  });
});
