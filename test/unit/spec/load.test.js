'use strict';
const fs = require('fs');
const path = require('path');
const { expect } = require('chai');
const { loadConfig, lineColumn } = require('../../../dist/spec/load');
const { ConfigError } = require('../../../dist/errors');
const { fixture, makeBundle, removeBundles } = require('../../fixtures/configs/make-bundle');

/** A copy of minimal.json changed by `edit`. */
function minimalWith(edit) {
  const c = fixture('minimal');
  edit(c);
  return c;
}

function loadError(bundle) {
  try {
    loadConfig(bundle);
  } catch (e) {
    return e;
  }
  throw new Error('loadConfig did not fail');
}

describe('spec/load: loadConfig', () => {
  after(removeBundles);

  for (const name of ['minimal', 'full', 'engine-style']) {
    it(`accepts the ${name} fixture`, () => {
      const bundle = makeBundle(fixture(name));
      const { config, configPath } = loadConfig(bundle);
      expect(configPath).to.equal(path.join(bundle, 'config.json'));
      expect(config).to.deep.equal(fixture(name));
    });
  }

  it('resolves a relative bundle path', () => {
    const bundle = makeBundle(fixture('minimal'));
    const rel = path.relative(process.cwd(), bundle);
    expect(loadConfig(rel).configPath).to.equal(path.join(bundle, 'config.json'));
  });

  const NAMESPACES = 'mount, pid, network, uts, ipc, user, cgroup, time';
  const badConfigs = [
    // [what, edit, field, message]
    ['args not an array', (c) => { c.process.args = 'sh'; }, '/process/args', 'must be array'],
    ['no ociVersion', (c) => { delete c.ociVersion; }, '/', "must have required property 'ociVersion'"],
    ['no cwd', (c) => { delete c.process.cwd; }, '/process', "must have required property 'cwd'"],
    ['unknown rootfsPropagation', (c) => { c.linux.rootfsPropagation = 'sideways'; }, '/linux/rootfsPropagation',
      'must be equal to one of the allowed values: private, shared, slave, unbindable, rprivate, rshared, rslave, runbindable'],
    ['unknown namespace', (c) => { c.linux.namespaces.push({ type: 'foo' }); }, '/linux/namespaces/1/type',
      `must be equal to one of the allowed values: ${NAMESPACES}`],
    ['hook timeout 0', (c) => { c.hooks = { prestart: [{ path: '/h', timeout: 0 }] }; }, '/hooks/prestart/0/timeout', 'must be >= 1'],
    ['uid not an integer', (c) => { c.process.user = { uid: 1.5 }; }, '/process/user/uid', 'must be integer'],
    ['ociVersion 2', (c) => { c.ociVersion = '2.0.0'; }, '/ociVersion', 'unsupported version "2.0.0": major version must be 1'],
    ['ociVersion not semver', (c) => { c.ociVersion = 'one'; }, '/ociVersion', 'invalid version "one": not SemVer'],
    ['no root', (c) => { delete c.root; }, '/root', 'root must be specified'],
    ['empty args', (c) => { c.process.args = []; }, '/process/args', 'args must not be empty'],
    ['relative cwd', (c) => { c.process.cwd = 'home'; }, '/process/cwd', 'cwd "home" must be an absolute path'],
    ['relative mount destination', (c) => { c.mounts = [{ destination: 'proc', type: 'proc', source: 'proc' }]; },
      '/mounts/0/destination', 'mount destination "proc" is not an absolute path'],
    ['duplicated namespace', (c) => { c.linux.namespaces.push({ type: 'mount' }); }, '/linux/namespaces/1/type',
      'malformed spec file: duplicated ns "mount"'],
    ['relative namespace path', (c) => { c.linux.namespaces.push({ type: 'network', path: 'netns' }); },
      '/linux/namespaces/1/path', 'namespace path "netns" is not an absolute path'],
    ['no mount namespace', (c) => { c.linux.namespaces = [{ type: 'pid' }]; }, '/linux/namespaces', 'a mount namespace is required'],
    ['hostname without uts', (c) => { c.hostname = 'h'; }, '/hostname', 'unable to set hostname without a private UTS namespace'],
    ['domainname without uts', (c) => { c.domainname = 'd'; }, '/domainname',
      'unable to set domainname without a private UTS namespace'],
    ['net sysctl without netns', (c) => { c.linux.sysctl = { 'net.ipv4.ip_forward': '1' }; },
      '/linux/sysctl/net.ipv4.ip_forward', 'sysctl "net.ipv4.ip_forward" not allowed in host network namespace'],
    ['net sysctl in the host netns by path', (c) => {
      c.linux.namespaces.push({ type: 'network', path: '/proc/self/ns/net' });
      c.linux.sysctl = { 'net.core.somaxconn': '10' };
    }, '/linux/sysctl/net.core.somaxconn', 'sysctl "net.core.somaxconn" not allowed in host network namespace'],
    ['ipc sysctl without ipc ns', (c) => { c.linux.sysctl = { 'kernel.shmmax': '1' }; }, '/linux/sysctl/kernel.shmmax',
      'sysctl "kernel.shmmax" is not allowed in the hosts ipc namespace'],
    ['mqueue sysctl in slash form without ipc ns', (c) => { c.linux.sysctl = { 'fs/mqueue/msg_max': '1' }; },
      '/linux/sysctl/fs~1mqueue~1msg_max', 'sysctl "fs.mqueue.msg_max" is not allowed in the hosts ipc namespace'],
    ['kernel.hostname sysctl', (c) => {
      c.linux.namespaces.push({ type: 'uts' });
      c.linux.sysctl = { 'kernel.hostname': 'x' };
    }, '/linux/sysctl/kernel.hostname', 'sysctl "kernel.hostname" is not allowed as it conflicts with the OCI "hostname" field'],
    ['kernel.domainname sysctl without uts', (c) => { c.linux.sysctl = { 'kernel.domainname': 'x' }; },
      '/linux/sysctl/kernel.domainname', 'sysctl "kernel.domainname" is not in a separate kernel namespace'],
    ['host-wide sysctl', (c) => { c.linux.sysctl = { 'vm.swappiness': '1' }; }, '/linux/sysctl/vm.swappiness',
      'sysctl "vm.swappiness" is not in a separate kernel namespace'],
    ['unknown rlimit', (c) => { c.process.rlimits = [{ type: 'RLIMIT_FOO', soft: 1, hard: 1 }]; }, '/process/rlimits/0/type',
      'unknown rlimit type "RLIMIT_FOO"'],
    ['duplicate rlimit', (c) => {
      c.process.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 1 }, { type: 'RLIMIT_NOFILE', soft: 2, hard: 2 }];
    }, '/process/rlimits/1/type', 'duplicate rlimit type "RLIMIT_NOFILE"'],
    ['rlimit soft above hard', (c) => { c.process.rlimits = [{ type: 'RLIMIT_NOFILE', soft: 2048, hard: 1024 }]; },
      '/process/rlimits/0', 'RLIMIT_NOFILE: soft limit 2048 is greater than hard limit 1024'],
    ['unknown capability', (c) => { c.process.capabilities = { effective: ['CAP_KILL', 'CAP_FOO'] }; },
      '/process/capabilities/effective/1', 'unknown capability "CAP_FOO"'],
    ['a new user namespace without mappings', (c) => { c.linux.namespaces.push({ type: 'user' }); }, '/linux/namespaces',
      'user namespaces enabled, but no namespace path to join nor mappings to apply specified'],
    ['uid mappings without a user namespace', (c) => { c.linux.uidMappings = [{ containerID: 0, hostID: 1000, size: 1 }]; },
      '/linux/uidMappings', 'user namespace mappings specified, but user namespace isn\'t enabled in the config'],
    ['gid mappings without a user namespace', (c) => { c.linux.gidMappings = [{ containerID: 0, hostID: 1000, size: 1 }]; },
      '/linux/gidMappings', 'user namespace mappings specified, but user namespace isn\'t enabled in the config'],
    ['uid mappings without gid mappings', (c) => { userns(c); delete c.linux.gidMappings; }, '/linux/gidMappings',
      'a new user namespace needs gidMappings as well as uidMappings'],
    ['overlapping container ids', (c) => {
      userns(c);
      c.linux.uidMappings.push({ containerID: 100, hostID: 300000, size: 10 });
    }, '/linux/uidMappings/1', 'container ids 100-109 overlap /linux/uidMappings/0 (0-65535)'],
    ['overlapping host ids', (c) => {
      userns(c);
      c.linux.gidMappings.push({ containerID: 70000, hostID: 165535, size: 2 });
    }, '/linux/gidMappings/1', 'host ids 165535-165536 overlap /linux/gidMappings/0 (100000-165535)'],
    ['host ids out of range', (c) => {
      userns(c);
      c.linux.uidMappings.push({ containerID: 70000, hostID: 4294967295, size: 2 });
    }, '/linux/uidMappings/1', 'host ids 4294967295-4294967296 go past 4294967295'],
    ['a mapping of size 0', (c) => { userns(c); c.linux.uidMappings[0].size = 0; }, '/linux/uidMappings/0/size',
      'mapping size must be at least 1, got 0'],
    ['a user namespace without root', (c) => { userns(c); c.linux.uidMappings[0].containerID = 1; }, '/linux/uidMappings',
      'user namespaces enabled, but no root user mapping found (container uid 0)'],
    ['an unmapped process uid', (c) => { userns(c); c.process.user = { uid: 70000, gid: 0 }; }, '/process/user/uid',
      'uid 70000 is not mapped by linux.uidMappings'],
    ['an unmapped additional gid', (c) => { userns(c); c.process.user = { uid: 0, gid: 0, additionalGids: [5, 99999] }; },
      '/process/user/additionalGids/1', 'gid 99999 is not mapped by linux.gidMappings'],
    ['mappings with a joined user namespace', (c) => {
      userns(c);
      c.linux.namespaces[1].path = '/proc/1/ns/user';
    }, '/linux/uidMappings', 'mappings cannot be given with a user namespace joined by path: its mappings are its own'],
    ['an unmapped devpts gid', (c) => {
      userns(c);
      c.linux.gidMappings[0].size = 5;
      c.mounts = [{ destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['newinstance', 'gid=5'] }];
    }, '/mounts/0/options/1', 'devpts gid=5: gid 5 is not mapped by linux.gidMappings'],
    ['mount uid mappings without gid mappings', (c) => {
      c.mounts = [{ destination: '/x', source: '/y', options: ['bind'], uidMappings: [{ containerID: 0, hostID: 1, size: 1 }] }];
    }, '/mounts/0/uidMappings', 'uidMappings must be specified along with gidMappings'],
    ['overlapping mount mappings', (c) => {
      const m = [{ containerID: 0, hostID: 1, size: 10 }, { containerID: 5, hostID: 100, size: 1 }];
      c.mounts = [{ destination: '/x', source: '/y', options: ['bind', 'idmap'], uidMappings: m, gidMappings: m }];
    }, '/mounts/0/uidMappings/1', 'container ids 5 overlap /mounts/0/uidMappings/0 (0-9)'],
    ['idmap on a mount that is not a bind', (c) => {
      userns(c);
      c.mounts = [{ destination: '/x', type: 'tmpfs', source: 'tmpfs', options: ['idmap'] }];
    }, '/mounts/0', 'id-mapped mounts are only supported for bind mounts'],
    ['time offsets without time ns', (c) => { c.linux.timeOffsets = { monotonic: { secs: 1 } }; }, '/linux/timeOffsets',
      'time namespace offsets specified, but no new time namespace is configured'],
    ['cgroupsPath escaping', (c) => { c.linux.cgroupsPath = '/a/../../b'; }, '/linux/cgroupsPath',
      'cgroupsPath "/a/../../b" must not contain ".."'],
    ['char device without numbers', (c) => { c.linux.devices = [{ type: 'c', path: '/dev/x' }]; }, '/linux/devices/0',
      'device /dev/x: major and minor numbers are required for type "c"'],
    ['bad device type', (c) => { c.linux.devices = [{ type: 'x', path: '/dev/x' }]; }, '/linux/devices/0/type',
      'must match pattern "^[cbup]$"'],
    ['relative device path', (c) => { c.linux.devices = [{ type: 'p', path: 'dev/x' }]; }, '/linux/devices/0/path',
      'device path "dev/x" is not an absolute path'],
    ['relative hook path', (c) => { c.hooks = { createContainer: [{ path: 'bin/hook' }] }; }, '/hooks/createContainer/0/path',
      'hook path "bin/hook" is not an absolute path'],
    ['idmap without mappings or a user namespace', (c) => { c.mounts = [{ destination: '/x', source: '/y', options: ['bind', 'idmap'] }]; },
      '/mounts/0', 'idmap without uidMappings and gidMappings needs a new user namespace with mappings to take them from'],
    ['bind mount with fs data', (c) => { c.mounts = [{ destination: '/x', source: '/y', options: ['rbind', 'size=1k'] }]; },
      '/mounts/0', 'bind mounts cannot have any filesystem-specific options applied'],
    ['recursive clear option', (c) => { c.mounts = [{ destination: '/x', source: '/y', options: ['rbind', 'rrw'] }]; },
      '/mounts/0', 'mount option "rrw" is not supported yet'],
    ['oomScoreAdj out of range', (c) => { c.process.oomScoreAdj = 2000; }, '/process/oomScoreAdj',
      '2000 is outside the range -1000..1000'],
  ];

  function userns(c) {
    c.linux.namespaces.push({ type: 'user' });
    c.linux.uidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
    c.linux.gidMappings = [{ containerID: 0, hostID: 100000, size: 65536 }];
  }

  for (const [what, edit, field, message] of badConfigs) {
    it(`refuses ${what}: ${field}`, () => {
      const bundle = makeBundle(minimalWith(edit));
      const configPath = path.join(bundle, 'config.json');
      const err = loadError(bundle);
      expect(err).to.be.instanceOf(ConfigError);
      expect(err.message).to.equal(`${configPath}: ${field}: ${message}`);
      expect(err.file).to.equal(configPath);
      expect(err.field).to.equal(field);
    });
  }

  it('names the missing rootfs directory', () => {
    const bundle = makeBundle(minimalWith((c) => { c.root.path = 'nope'; }));
    expect(loadError(bundle).message).to.equal(
      `${path.join(bundle, 'config.json')}: /root/path: ${path.join(bundle, 'nope')}: no such directory`);
  });

  it('refuses a rootfs that is a file', () => {
    const bundle = makeBundle(minimalWith((c) => { c.root.path = 'config.json'; }));
    expect(loadError(bundle).message).to.equal(
      `${path.join(bundle, 'config.json')}: /root/path: ${path.join(bundle, 'config.json')}: not a directory`);
  });

  it('accepts an absolute root.path', () => {
    const other = makeBundle(fixture('minimal'));
    const bundle = makeBundle(minimalWith((c) => { c.root.path = path.join(other, 'rootfs'); }));
    expect(loadConfig(bundle).config.root.path).to.equal(path.join(other, 'rootfs'));
  });

  it('skips the semantic checks on request', () => {
    const bundle = makeBundle(minimalWith((c) => { c.root.path = 'nope'; }));
    expect(loadConfig(bundle, { semantic: false }).config.root.path).to.equal('nope');
  });

  const badJson = [
    ['a trailing comma', '{\n  "ociVersion": "1.3.0",\n  }', 3, 3, 'Expected double-quoted property name'],
    ['an empty file', '', 1, 1, 'Unexpected end of JSON input'],
    ['a truncated file', '{\n"a":', 2, 5, 'Unexpected end of JSON input'],
    ['an unexpected token', '{\n\n  "x": ]', 3, 8, "Unexpected token ']'"],
    ['a misspelled literal', '{"a": tru }', 1, 10, "Unexpected token ' '"],
    ['a long line with an unexpected token', `{"${'a'.repeat(40)}": ], "b": 1}`, 1, 46, "Unexpected token ']'"],
  ];
  for (const [what, text, line, column, reason] of badJson) {
    it(`reports the line and column of ${what}`, () => {
      const bundle = makeBundle(text);
      expect(loadError(bundle).message).to.equal(
        `${path.join(bundle, 'config.json')}: invalid JSON at line ${line} column ${column}: ${reason}`);
    });
  }

  it('refuses a document that is not an object', () => {
    const bundle = makeBundle('[]');
    expect(loadError(bundle).message).to.equal(`${path.join(bundle, 'config.json')}: /: must be object`);
  });

  it('reports a missing config.json', () => {
    const bundle = makeBundle('{}');
    fs.rmSync(path.join(bundle, 'config.json'));
    const err = loadError(bundle);
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.equal(`${path.join(bundle, 'config.json')}: no such file`);
  });

  it('reports a missing bundle directory', () => {
    const err = loadError('/nonexistent/ts-oci-bundle');
    expect(err).to.be.instanceOf(ConfigError);
    expect(err.message).to.equal('bundle /nonexistent/ts-oci-bundle: no such directory');
  });

  it('reports a bundle that is a file', () => {
    const bundle = makeBundle('{}');
    const file = path.join(bundle, 'config.json');
    expect(loadError(file).message).to.equal(`bundle ${file}: not a directory`);
  });

  it('keeps every message on one line', () => {
    const bundle = makeBundle('{\n\n  "x": ]');
    expect(loadError(bundle).message).to.not.include('\n');
  });
});

describe('spec/load: lineColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).to.deep.equal({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).to.deep.equal({ line: 2, column: 2 });
    expect(lineColumn('ab\n', 3)).to.deep.equal({ line: 2, column: 1 });
  });
});

describe('spec/json-error-offset: jsonErrorOffset', () => {
  const { jsonErrorOffset } = require('../../../dist/spec/json-error-offset');
  const cases = [
    ['{"a": ]', 6],
    ['[1, 2,, 3]', 6],
    ['{"a" 1}', 5],
    ['{"a": "\\q"}', 8],
    ['{"a": -x}', 7],
    ['{"a": 1.}', 8],
    ['{"a": [1, {"b": nul}]}', 19],
    ['{} x', 3],
    ['', 0],
  ];
  for (const [text, offset] of cases) {
    it(`finds offset ${offset} in ${JSON.stringify(text)}`, () => {
      expect(jsonErrorOffset(text)).to.equal(offset);
    });
  }

  it('returns the text length for valid JSON', () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"], "b": {}}';
    expect(() => JSON.parse(text)).to.not.throw();
    expect(jsonErrorOffset(text)).to.equal(text.length);
  });
});
