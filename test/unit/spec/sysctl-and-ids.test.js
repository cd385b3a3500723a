'use strict';
const path = require('path');
const { expect } = require('chai');
const { loadConfig } = require('../../../dist/spec/load');
const { sysctlComponents, sysctlKeyProblem } = require('../../../dist/spec/validate-linux');
const { sysctlProcPath } = require('../../../dist/plan/container-fs');
const { fixture, makeBundle, removeBundles } = require('../../fixtures/configs/make-bundle');

function loadError(edit) {
  const c = fixture('minimal');
  c.linux.namespaces.push({ type: 'network' }, { type: 'ipc' }, { type: 'uts' });
  edit(c);
  const bundle = makeBundle(c);
  try {
    loadConfig(bundle);
  } catch (e) {
    return { message: e.message.replace(`${path.join(bundle, 'config.json')}: `, ''), field: e.field };
  }
  return undefined;
}

describe('spec: sysctl keys and user ids', () => {
  after(removeBundles);

  it('splits both forms into /proc/sys components', () => {
    expect(sysctlComponents('net.ipv4.conf.eno2/100.rp_filter')).to.deep.equal(['net', 'ipv4', 'conf', 'eno2.100', 'rp_filter']);
    expect(sysctlComponents('net/ipv4/conf/eno2.100/rp_filter')).to.deep.equal(['net', 'ipv4', 'conf', 'eno2.100', 'rp_filter']);
    expect(sysctlProcPath('net/ipv4/conf/eno2.100/rp_filter')).to.equal('sys/net/ipv4/conf/eno2.100/rp_filter');
    expect(sysctlProcPath('kernel.shmmax')).to.equal('sys/kernel/shmmax');
  });

  const bad = {
    'net/../kernel/core_pattern': '".."',
    'net/ipv4/../../kernel/core_pattern': '".."',
    'net.ipv4.//.x': '".."',
    'net..ipv4': 'empty',
    'net.ipv4.': 'empty',
    'net/ipv4//x': 'empty',
    '/net/ipv4': 'empty',
    'net./.x': '"."',
    'net/./x': '"."',
    'fs.mqueue.//.//.kernel.core_pattern': '".."',
    'kernel.shmmax/..': 'empty',
  };
  for (const [key, what] of Object.entries(bad)) {
    it(`refuses the sysctl key ${JSON.stringify(key)} (${what} component)`, () => {
      expect(sysctlKeyProblem(key)).to.match(/is not a valid sysctl name: it has/);
      const e = loadError((c) => (c.linux.sysctl = { [key]: '1' }));
      expect(e.field).to.equal(`/linux/sysctl/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      expect(e.message).to.contain(`sysctl ${JSON.stringify(key)} is not a valid sysctl name: it has ${what === 'empty' ? 'an empty' : `a ${what}`} component`);
    });
  }

  for (const key of ['net.ipv4.ip_forward', 'net/ipv4/conf/eno2.100/rp_filter', 'kernel.shmmax', 'fs.mqueue.msg_max', 'kernel.domainname']) {
    it(`accepts ${JSON.stringify(key)}`, () => {
      expect(sysctlKeyProblem(key)).to.equal(undefined);
      expect(loadError((c) => (c.linux.sysctl = { [key]: '1' }))).to.equal(undefined);
    });
  }

  const ids = [
    [(u) => (u.uid = 4294967295), '/process/user/uid'],
    [(u) => (u.gid = 4294967295), '/process/user/gid'],
    [(u) => (u.additionalGids = [1, 2, 4294967295]), '/process/user/additionalGids/2'],
  ];
  for (const [edit, field] of ids) {
    it(`refuses 4294967295 in ${field}`, () => {
      const e = loadError((c) => {
        c.process.user = { uid: 0, gid: 0 };
        edit(c.process.user);
      });
      expect(e).to.deep.equal({
        field,
        message: `${field}: 4294967295 is outside the range 0..4294967294 (4294967295 means "unchanged" to the kernel)`,
      });
    });
  }

  it('accepts 0 and 4294967294', () => {
    expect(loadError((c) => (c.process.user = { uid: 4294967294, gid: 0, additionalGids: [0, 4294967294] }))).to.equal(undefined);
  });
});
