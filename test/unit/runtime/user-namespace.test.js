'use strict';
// The runtime's side of the maps: file contents, who writes them, and the
// check that an unprivileged caller asks only for ids it owns.
const { expect } = require('chai');
const { idMapFile, mapWriter, subordinateRanges, checkCallerOwnsIds, inUserNamespace } = require('../../../dist/runtime/user-namespace');
const { ConfigError } = require('../../../dist/errors');

const alice = { uid: 1000, gid: 1000, name: 'alice' };
const maps = (uids, gids) => ({ uidMappings: uids, gidMappings: gids });
const own = [{ containerID: 0, hostID: 1000, size: 1 }];
const sub = [{ containerID: 0, hostID: 1000, size: 1 }, { containerID: 1, hostID: 100000, size: 65536 }];

describe('runtime/user-namespace: the init\'s maps', () => {
  it('knows when the runtime itself runs in a user namespace', () => {
    expect(inUserNamespace(() => '         0          0 4294967295\n')).to.equal(false);
    expect(inUserNamespace(() => '         0       1000          1\n')).to.equal(true);
    expect(inUserNamespace(() => { throw new Error('ENOENT'); })).to.equal(false);
  });

  it('writes one "inside outside count" line per mapping', () => {
    expect(idMapFile(sub)).to.equal('0 1000 1\n1 100000 65536\n');
  });

  it('root writes directly; an ordinary user its own id with setgroups deny, else newuidmap', () => {
    expect(mapWriter(maps(sub, sub), { ...alice, uid: 0 })).to.equal('direct');
    expect(mapWriter(maps(own, own), alice)).to.equal('direct-deny-setgroups');
    expect(mapWriter(maps(sub, own), alice)).to.equal('newidmap');
    expect(mapWriter(maps(own, [{ containerID: 0, hostID: 5, size: 1 }]), alice)).to.equal('newidmap');
  });

  it('reads /etc/subuid lines by name or uid', () => {
    const text = 'bob:200000:65536\nalice:100000:65536\n1000:300000:10\nbad line\nalice:x:1\n';
    expect(subordinateRanges(text, alice)).to.deep.equal([{ start: 100000, count: 65536 }, { start: 300000, count: 10 }]);
  });

  it('an unprivileged caller may map its own id and its subordinate ranges, nothing else', () => {
    const read = () => 'alice:100000:65536\n';
    expect(() => checkCallerOwnsIds(maps(sub, sub), '/b/config.json', alice, read)).to.not.throw();
    const err = (() => {
      try {
        checkCallerOwnsIds(maps(sub, [{ containerID: 0, hostID: 0, size: 1 }]), '/b/config.json', alice, read);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.equal('/b/config.json: /linux/gidMappings/0: host ids 0 are not yours to map (not your own id, nor in /etc/subgid for alice)');
    expect(() => checkCallerOwnsIds(maps([{ containerID: 0, hostID: 99999, size: 2 }], own), '/b/config.json', alice, read))
      .to.throw(ConfigError, '/linux/uidMappings/0: host ids 99999-100000 are not yours');
    // Root may map anything.
    expect(() => checkCallerOwnsIds(maps([{ containerID: 0, hostID: 0, size: 1 }], own), '/b/config.json', { ...alice, uid: 0 }, read))
      .to.not.throw();
  });
});

describe('runtime: rootless defaults and a user namespace that denies setgroups', () => {
  const { defaultRoot } = require('../../../dist/runtime/context');
  const { withoutSetgroups } = require('../../../dist/plan/setgroups');
  const fail = (field, message) => {
    throw new ConfigError(`${field}: ${message}`, undefined, field);
  };

  it('the default root is /run/ts-oci for root, $XDG_RUNTIME_DIR/ts-oci for an ordinary user', () => {
    const host = () => false;
    const userns = () => true;
    expect(defaultRoot(0, { XDG_RUNTIME_DIR: '/run/user/0' }, host)).to.equal('/run/ts-oci');
    expect(defaultRoot(1000, { XDG_RUNTIME_DIR: '/run/user/1000/' }, host)).to.equal('/run/user/1000/ts-oci');
    expect(defaultRoot(1000, {}, host)).to.equal('/run/ts-oci');
    // Root of a user namespace (Podman rootless passes no --root), unless USER says root (runc's rule).
    expect(defaultRoot(0, { XDG_RUNTIME_DIR: '/run/user/1000', USER: 'alice' }, userns)).to.equal('/run/user/1000/ts-oci');
    expect(defaultRoot(0, { XDG_RUNTIME_DIR: '/run/user/1000', USER: 'root' }, userns)).to.equal('/run/ts-oci');
  });

  it('sets the ids only, and refuses additional gids it could not set', () => {
    const ops = [{ op: 'umask', mask: 0o22 }, { op: 'creds', uid: 5, gid: 6, groups: [] }];
    expect(withoutSetgroups(ops, fail)).to.deep.equal([{ op: 'umask', mask: 0o22 }, { op: 'credsKeepGroups', uid: 5, gid: 6 }]);
    expect(() => withoutSetgroups([{ op: 'creds', uid: 0, gid: 0, groups: [10] }], fail))
      .to.throw(ConfigError, '/process/user/additionalGids: additional gids need setgroups');
  });
});
