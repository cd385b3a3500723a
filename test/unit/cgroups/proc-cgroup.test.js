'use strict';
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { parseProcCgroup } = require('../../../dist/cgroups/proc-cgroup');

const fixture = (name) => fs.readFileSync(path.join(__dirname, '../../fixtures/cgroups', name), 'utf8');

describe('cgroups/proc-cgroup', () => {
  it('parses the hybrid file (this machine)', () => {
    const m = parseProcCgroup(fixture('hybrid.cgroup'));
    expect(m.get('')).to.equal('/');
    expect(m.get('memory')).to.equal('/process_api/90fddaf4611c482d032e97a55e94d4d0');
    expect(m.get('name=systemd')).to.equal('/');
  });

  it('splits comounted controllers', () => {
    const m = parseProcCgroup(fixture('v1.cgroup'));
    expect(m.get('cpu')).to.equal('/user.slice');
    expect(m.get('cpuacct')).to.equal('/user.slice');
    expect(m.get('net_cls')).to.equal('/');
    expect(m.get('net_prio')).to.equal('/');
    expect(m.has('')).to.equal(false);
  });

  it('parses pure v2 and keeps colons in paths', () => {
    expect(parseProcCgroup(fixture('v2.cgroup')).get('')).to.equal('/user.slice/user-1000.slice/session-3.scope');
    expect(parseProcCgroup('0::/a:b:c\n').get('')).to.equal('/a:b:c');
  });
});
