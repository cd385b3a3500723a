'use strict';
// linux.cgroupsPath under the systemd driver, as runc reads it.
const { expect } = require('chai');
const { expandSlice, systemdUnitFor } = require('../../../../dist/cgroups/systemd/unit-name');
const { ConfigError } = require('../../../../dist/errors');
const { catchError } = require('../../../helpers/catch-error');

describe('cgroups/systemd/unit-name', () => {
  it('expands nested slices as systemd does (runc ExpandSlice)', () => {
    expect(expandSlice('system.slice')).to.equal('/system.slice');
    expect(expandSlice('a-b.slice')).to.equal('/a.slice/a-b.slice');
    expect(expandSlice('test-a-b.slice')).to.equal('/test.slice/test-a.slice/test-a-b.slice');
    expect(expandSlice('-.slice')).to.equal('/');
  });

  for (const bad of ['.slice', 'a--b.slice', '-a.slice', 'a-.slice', 'foo', 'a.scope', 'a/b.slice', 'system.slice/x.slice']) {
    it(`refuses the slice ${JSON.stringify(bad)} in runc's words`, () => {
      const e = catchError(() => expandSlice(bad));
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.message).to.equal(`invalid slice name: ${bad}`);
      expect(e.field).to.equal('linux.cgroupsPath');
    });
  }

  it('"slice:prefix:name" is <prefix>-<name>.scope in the slice', () => {
    expect(systemdUnitFor('system.slice:docker:abc', 'c1')).to.deep.equal({
      slice: 'system.slice',
      unit: 'docker-abc.scope',
      cgroupPath: '/system.slice/docker-abc.scope',
    });
    expect(systemdUnitFor('kubepods-burstable.slice:cri-containerd:0123', 'c1').cgroupPath).to.equal(
      '/kubepods.slice/kubepods-burstable.slice/cri-containerd-0123.scope',
    );
  });

  it('defaults: an unset path is :ts-oci:<id>, an empty slice system.slice; -.slice is the root', () => {
    expect(systemdUnitFor(undefined, 'c1')).to.deep.equal({ slice: 'system.slice', unit: 'ts-oci-c1.scope', cgroupPath: '/system.slice/ts-oci-c1.scope' });
    expect(systemdUnitFor('', 'c1').unit).to.equal('ts-oci-c1.scope');
    expect(systemdUnitFor(':libpod:x', 'c1')).to.deep.equal({ slice: 'system.slice', unit: 'libpod-x.scope', cgroupPath: '/system.slice/libpod-x.scope' });
    expect(systemdUnitFor('-.slice:p:n', 'c1')).to.deep.equal({ slice: '-.slice', unit: 'p-n.scope', cgroupPath: '/p-n.scope' });
    // runc keeps an empty prefix as it is.
    expect(systemdUnitFor('machine.slice::n', 'c1').unit).to.equal('-n.scope');
  });

  it('refuses a cgroupfs path under this driver with runc\'s message', () => {
    for (const p of ['/docker/abc', 'a/b', 'a:b', 'a:b:c:d']) {
      const e = catchError(() => systemdUnitFor(p, 'c1'));
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.message).to.equal(`expected cgroupsPath to be of format "slice:prefix:name" for systemd cgroups, got ${JSON.stringify(p)} instead`);
    }
  });

  it('refuses "/" in any part, an empty name, a slice as the unit, and characters systemd refuses', () => {
    expect(catchError(() => systemdUnitFor('user.slice/user-1000.slice:p:n', 'c1')).message).to.match(/slice name|contains "\/"/);
    expect(catchError(() => systemdUnitFor('system.slice:p/q:n', 'c1')).message).to.contain('the prefix "p/q" contains "/"');
    expect(catchError(() => systemdUnitFor('system.slice:p:../../x', 'c1')).message).to.contain('contains "/"');
    expect(catchError(() => systemdUnitFor('system.slice:p:', 'c1')).message).to.contain('name part is empty');
    expect(catchError(() => systemdUnitFor('system.slice:p:x.slice', 'c1')).message).to.contain('is a scope, not a slice');
    expect(catchError(() => systemdUnitFor('system.slice:p:a b', 'c1')).message).to.contain('not a valid systemd unit name');
    expect(catchError(() => systemdUnitFor('bad:p:n', 'c1')).message).to.equal('invalid slice name: bad');
  });
});
