'use strict';
// The engine suites drive Debian's dockerd, podman (with conmon) and
// containerd against ts-oci; none of them may be skipped in CI.
const { expect } = require('chai');
const fs = require('fs');
const { BIN, requireEngine, rootfsTarball } = require('../helpers/engine-image');

describe('engines: prerequisites', () => {
  it('Debian\'s engine binaries are installed', () => {
    requireEngine(...Object.keys(BIN));
  });

  it('the busybox rootfs tarball for the images is made', () => {
    expect(fs.statSync(rootfsTarball()).size).to.be.greaterThan(500000);
  });
});
