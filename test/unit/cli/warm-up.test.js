'use strict';
// The build's code-cache warm-up runs the create path's decisions
// (lib/cli/warm-up.ts): it must run on this host and touch nothing outside
// the directory it is given.
const { expect } = require('chai');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { warmUpCreatePath } = require('../../../dist/cli/warm-up');

const cgroupDirsNamed = (name) => {
  const found = [];
  for (const h of fs.readdirSync('/sys/fs/cgroup')) {
    const dir = path.join('/sys/fs/cgroup', h, name);
    if (fs.existsSync(dir)) found.push(dir);
  }
  return found;
};

describe('cli warm-up of the create path (build time)', () => {
  it('plans, encodes and writes state in its own directory only, and leaves no cgroup', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-warm-test-'));
    try {
      warmUpCreatePath(tmp);
      expect(fs.readdirSync(tmp).sort()).to.deep.equal(['warm-bundle', 'warm-root']);
      expect(fs.readdirSync(path.join(tmp, 'warm-root')), 'the state directory is removed again').to.deep.equal([]);
      expect(cgroupDirsNamed('ts-oci-warm-up')).to.deep.equal([]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
