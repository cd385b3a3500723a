'use strict';
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { detectLayout, cgroupHierarchies, parseMountinfo, unescapeMountPath } = require('../../../dist/cgroups/mountinfo');

const fixture = (name) => fs.readFileSync(path.join(__dirname, '../../fixtures/cgroups', name), 'utf8');

describe('cgroups/mountinfo', () => {
  it('detects a hybrid layout (this machine)', () => {
    const layout = detectLayout(fixture('hybrid.mountinfo'));
    expect(layout.kind).to.equal('hybrid');
    expect(layout.v2).to.equal('/sys/fs/cgroup/unified');
    expect(layout.v1.get('memory')).to.equal('/sys/fs/cgroup/memory');
    expect(layout.v1.get('cpu')).to.equal('/sys/fs/cgroup/cpu');
    expect(layout.v1.get('cpuacct')).to.equal('/sys/fs/cgroup/cpuacct');
    expect(layout.v1.get('name=systemd')).to.equal('/sys/fs/cgroup/systemd');
    expect([...layout.v1.keys()].sort()).to.deep.equal(
      ['blkio', 'cpu', 'cpuacct', 'cpuset', 'devices', 'freezer', 'memory', 'name=systemd', 'pids'],
    );
    expect(layout.hierarchies).to.have.length(10);
  });

  it('detects pure v1 with comounted controllers and mount options filtered out', () => {
    const layout = detectLayout(fixture('v1.mountinfo'));
    expect(layout.kind).to.equal('v1');
    expect(layout.v2).to.equal(undefined);
    expect(layout.v1.get('cpu')).to.equal('/sys/fs/cgroup/cpu,cpuacct');
    expect(layout.v1.get('cpuacct')).to.equal('/sys/fs/cgroup/cpu,cpuacct');
    expect(layout.v1.get('net_prio')).to.equal('/sys/fs/cgroup/net_cls,net_prio');
    expect(layout.v1.get('name=systemd')).to.equal('/sys/fs/cgroup/systemd');
    expect(layout.v1.has('xattr')).to.equal(false);
    expect(layout.v1.has('clone_children')).to.equal(false);
    expect(layout.v1.has('rw')).to.equal(false);
    const cpu = layout.hierarchies.find((h) => h.controllers.includes('cpu'));
    expect(cpu.controllers).to.deep.equal(['cpu', 'cpuacct']);
  });

  it('detects pure v2', () => {
    const layout = detectLayout(fixture('v2.mountinfo'));
    expect(layout.kind).to.equal('v2');
    expect(layout.v2).to.equal('/sys/fs/cgroup');
    expect(layout.v1.size).to.equal(0);
  });

  it('keeps the mount root and unescapes mount points', () => {
    const hs = cgroupHierarchies(fixture('v1-container.mountinfo'));
    const mem = hs.find((h) => h.controllers.includes('memory'));
    expect(mem.root).to.equal('/docker/0123abcd');
    const pids = hs.find((h) => h.controllers.includes('pids'));
    expect(pids.mountPoint).to.equal('/sys/fs/cgroup/with space');
    expect(unescapeMountPath('a\\011b\\134c')).to.equal('a\tb\\c');
  });

  it('keeps the first mount of a hierarchy mounted twice', () => {
    const text = fixture('v1.mountinfo') + '99 30 0:32 / /other/memory rw - cgroup cgroup rw,memory\n';
    expect(detectLayout(text).v1.get('memory')).to.equal('/sys/fs/cgroup/memory');
  });

  it('handles optional fields before the separator', () => {
    const [e] = parseMountinfo('1 2 0:3 / /x rw shared:1 master:2 - cgroup2 none rw\n');
    expect(e).to.include({ mountPoint: '/x', fstype: 'cgroup2', root: '/' });
  });

  it('fails when nothing is mounted', () => {
    expect(() => detectLayout('27 1 254:0 / / rw - ext4 /dev/vda rw\n')).to.throw('no cgroup filesystem is mounted');
  });
});
