'use strict';
// Podman with cgroup_manager "systemd" drives ts-oci under a real systemd
// (the VM of the "systemd" layout only): Podman passes --systemd-cgroup and
// "machine.slice:libpod:<id>"; the container's scope is systemd's unit,
// with the limit Podman asked for, and it is gone once Podman removes the
// container.
const fs = require('fs');
const { spawnSync } = require('child_process');
const { expect } = require('chai');
const { Podman } = require('../helpers/podman');

class SystemdPodman extends Podman {
  globalArgs() {
    const args = super.globalArgs();
    args[args.indexOf('--cgroup-manager') + 1] = 'systemd';
    return args;
  }
}

function show(unit, ...props) {
  const r = spawnSync('systemctl', ['show', '--no-pager', ...props.map((p) => `--property=${p}`), unit], { encoding: 'utf8' });
  return Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('Podman with cgroup_manager systemd, under systemd', function () {
  this.timeout(300000);
  let podman;
  let image;
  before(() => {
    podman = new SystemdPodman();
    image = podman.importImage();
  });
  after(() => podman?.stop());

  it('runs a container in machine.slice/libpod-<id>.scope with its memory limit; rm removes the unit', () => {
    const id = podman.ok(['run', '-d', '--network', 'none', '--memory', '64m', image, 'sleep', '1000']).trim();
    const unit = `libpod-${id}.scope`;
    const p = show(unit, 'ActiveState', 'Slice', 'MemoryMax', 'ControlGroup');
    expect(p).to.include({ ActiveState: 'active', Slice: 'machine.slice', MemoryMax: String(64 * 1024 * 1024) });
    const dir = `/sys/fs/cgroup${p.ControlGroup}`;
    expect(fs.readFileSync(`${dir}/memory.max`, 'utf8').trim()).to.equal(String(64 * 1024 * 1024));
    const pid = Number(podman.ok(['inspect', '--format', '{{.State.Pid}}', id]).trim());
    expect(fs.readFileSync(`${dir}/cgroup.procs`, 'utf8')).to.contain(String(pid));
    expect(podman.ok(['exec', id, 'echo', 'hi']).trim()).to.equal('hi');
    podman.ok(['rm', '-f', '-t', '0', id]);
    expect(show(unit, 'LoadState').LoadState).to.equal('not-found');
  });

  it('podman run --rm: the output and exit status come back, nothing is left', () => {
    const r = podman.run(['run', '--rm', '--network', 'none', image, 'sh', '-c', 'echo out; exit 7']);
    expect(r.stdout.trim()).to.equal('out');
    expect(r.status).to.equal(7);
    const left = spawnSync('systemctl', ['list-units', '--all', '--plain', '--no-legend', 'libpod-*.scope'], { encoding: 'utf8' }).stdout;
    expect(left.split('\n').filter((l) => l && !l.includes('conmon'))).to.deep.equal([]);
  });
});
