'use strict';
const { expect } = require('chai');
const { defaultSpec, SPEC_VERSION } = require('../../../dist/spec/default');
const { loadConfig } = require('../../../dist/spec/load');
const schemaValidate = require('../../../dist/spec/config-validator').default;
const { makeBundle, removeBundles } = require('../../fixtures/configs/make-bundle');

const RUNC_CAPS = ['CAP_AUDIT_WRITE', 'CAP_KILL', 'CAP_NET_BIND_SERVICE'];

describe('spec/default: defaultSpec', () => {
  after(removeBundles);

  it('validates against the schema and the semantic checks', () => {
    const spec = defaultSpec();
    expect(schemaValidate(spec), JSON.stringify(schemaValidate.errors)).to.equal(true);
    expect(loadConfig(makeBundle(spec)).config).to.deep.equal(spec);
  });

  it('writes runc\'s process defaults', () => {
    const p = defaultSpec().process;
    expect(SPEC_VERSION).to.equal('1.3.0');
    expect(p.terminal).to.equal(true);
    expect(p.args).to.deep.equal(['sh']);
    expect(p.cwd).to.equal('/');
    expect(p.env).to.deep.equal(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'TERM=xterm']);
    expect(p.rlimits).to.deep.equal([{ type: 'RLIMIT_NOFILE', hard: 1024, soft: 1024 }]);
    expect(p.noNewPrivileges).to.equal(true);
    expect(p.user).to.deep.equal({ uid: 0, gid: 0 });
  });

  it('grants only runc\'s three capabilities, none inheritable or ambient (CVE-2022-29162)', () => {
    const caps = defaultSpec().process.capabilities;
    expect(caps).to.deep.equal({ bounding: RUNC_CAPS, effective: RUNC_CAPS, permitted: RUNC_CAPS });
    expect(caps.inheritable ?? []).to.be.empty;
    expect(caps.ambient ?? []).to.be.empty;
  });

  it('has runc\'s root, hostname, namespaces, mounts and masks', () => {
    const s = defaultSpec();
    expect(s.root).to.deep.equal({ path: 'rootfs', readonly: true });
    expect(s.hostname).to.equal('ts-oci');
    expect(s.linux.namespaces.map((n) => n.type)).to.deep.equal(['pid', 'network', 'ipc', 'uts', 'mount', 'cgroup']);
    expect(s.mounts.map((m) => `${m.type}:${m.destination}`)).to.deep.equal([
      'proc:/proc', 'tmpfs:/dev', 'devpts:/dev/pts', 'tmpfs:/dev/shm', 'mqueue:/dev/mqueue', 'sysfs:/sys', 'cgroup:/sys/fs/cgroup',
    ]);
    expect(s.mounts[6].options).to.include('ro');
    expect(s.linux.maskedPaths).to.include.members(['/proc/kcore', '/proc/keys', '/sys/firmware', '/proc/scsi']);
    expect(s.linux.readonlyPaths).to.deep.equal(['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
    expect(s.linux.resources.devices).to.deep.equal([{ allow: false, access: 'rwm' }]);
  });

  it('uses the given args', () => {
    const args = ['/bin/echo', 'hi'];
    const s = defaultSpec({ args });
    expect(s.process.args).to.deep.equal(args);
    expect(s.process.args).to.not.equal(args);
  });

  it('returns a fresh object every time', () => {
    const a = defaultSpec();
    a.mounts[0].destination = '/changed';
    a.process.capabilities.bounding.push('CAP_SYS_ADMIN');
    expect(defaultSpec().mounts[0].destination).to.equal('/proc');
    expect(defaultSpec().process.capabilities.bounding).to.deep.equal(RUNC_CAPS);
  });

  it('makes a rootless variant like `runc spec --rootless`', () => {
    const s = defaultSpec({ rootless: true });
    expect(schemaValidate(s), JSON.stringify(schemaValidate.errors)).to.equal(true);
    const types = s.linux.namespaces.map((n) => n.type);
    expect(types).to.not.include('network');
    expect(types[types.length - 1]).to.equal('user');
    expect(s.linux.uidMappings).to.deep.equal([{ containerID: 0, hostID: process.geteuid(), size: 1 }]);
    expect(s.linux.gidMappings).to.deep.equal([{ containerID: 0, hostID: process.getegid(), size: 1 }]);
    expect(s.mounts.find((m) => m.destination === '/sys')).to.deep.equal(
      { destination: '/sys', type: 'none', source: '/sys', options: ['rbind', 'nosuid', 'noexec', 'nodev', 'ro'] });
    expect(s.mounts.find((m) => m.destination === '/dev/pts').options).to.not.include('gid=5');
    expect(s.linux.resources).to.equal(undefined);
  });
});
