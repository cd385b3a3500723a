'use strict';
const { expect } = require('chai');
const { exitedEarly } = require('../../../dist/runtime/init-conversation');

describe('runtime/init-conversation: why init closed the sync socket without a report', () => {
  it('an OOM kill in the container cgroup is runc\'s phrase (engines show it as is)', () => {
    expect(exitedEarly({ oomKills: () => 1 })).to.equal('container init was OOM-killed (memory limit too low?)');
    // Even under a seccomp profile: the OOM counter is the stronger evidence.
    expect(exitedEarly({ oomKills: () => 2, seccomp: {} })).to.equal('container init was OOM-killed (memory limit too low?)');
  });

  it('without an OOM kill (or no memory controller) the generic reason, with the seccomp hint when a profile is loaded', () => {
    expect(exitedEarly({ oomKills: () => 0 })).to.equal('container init exited before it was created');
    expect(exitedEarly({ oomKills: () => undefined })).to.equal('container init exited before it was created');
    expect(exitedEarly({ seccomp: {} })).to.match(/^container init exited before it was created \(did the seccomp profile deny/);
  });
});
