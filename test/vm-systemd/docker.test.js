'use strict';
// Docker with "exec-opts": ["native.cgroupdriver=systemd"] drives ts-oci
// under a real systemd (the VM of the "systemd" layout only): a dockerd of
// the test's own (data-root, exec-root, pidfile and socket in a scratch
// directory, vfs storage, no networking), ts-oci registered as a runtime;
// the container is docker-<id>.scope in system.slice with Docker's limit,
// and the unit is gone once Docker removes the container.
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { expect } = require('chai');
const { BIN, requireEngine, engineDir, rootfsTarball, bin } = require('../helpers/engine-image');

function show(unit, ...props) {
  const r = spawnSync('systemctl', ['show', '--no-pager', ...props.map((p) => `--property=${p}`), unit], { encoding: 'utf8' });
  return Object.fromEntries(r.stdout.trim().split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('Docker with native.cgroupdriver=systemd, under systemd', function () {
  this.timeout(300000);
  let dir;
  let sock;
  let daemon;
  const docker = (args, opts = {}) => {
    const r = spawnSync(BIN.docker, ['-H', `unix://${sock}`, ...args], { encoding: 'utf8', timeout: opts.timeout ?? 120000, input: opts.input });
    if (r.error) throw r.error;
    return r;
  };
  const ok = (args, opts) => {
    const r = docker(args, opts);
    if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
    return r.stdout;
  };

  before(async () => {
    requireEngine('dockerd', 'docker');
    dir = engineDir('docker');
    const exec = fs.mkdtempSync('/tmp/ts-oci-dk-');
    sock = path.join(exec, 'docker.sock');
    const config = {
      'exec-opts': ['native.cgroupdriver=systemd'],
      runtimes: { 'ts-oci': { path: bin } },
      'default-runtime': 'ts-oci',
      'storage-driver': 'vfs',
      bridge: 'none',
      iptables: false,
      'ip-masq': false,
      'data-root': path.join(dir, 'data'),
      'exec-root': exec,
      pidfile: path.join(exec, 'docker.pid'),
      hosts: [`unix://${sock}`],
      features: { buildkit: false },
    };
    fs.writeFileSync(path.join(dir, 'daemon.json'), JSON.stringify(config));
    daemon = spawn(BIN.dockerd, ['--config-file', path.join(dir, 'daemon.json')], { stdio: ['ignore', 'ignore', fs.openSync(path.join(dir, 'dockerd.log'), 'w')] });
    for (let i = 0; i < 600 && docker(['version']).status !== 0; i++) await new Promise((r) => setTimeout(r, 200));
    ok(['import', '--change', 'CMD ["/bin/sh"]', rootfsTarball(), 'ts-oci-busybox:test'], { timeout: 180000 });
  });
  after(async () => {
    if (daemon) {
      docker(['rm', '-f', ...docker(['ps', '-aq']).stdout.split('\n').filter(Boolean)]);
      daemon.kill('SIGTERM');
      await new Promise((r) => daemon.once('exit', r));
    }
  });

  it('docker info reports the systemd cgroup driver and ts-oci as the default runtime', () => {
    const info = JSON.parse(ok(['info', '--format', '{{json .}}']));
    expect(info.CgroupDriver).to.equal('systemd');
    expect(info.DefaultRuntime).to.equal('ts-oci');
  });

  it('run -d with --memory: docker-<id>.scope in system.slice with the limit; exec; rm removes the unit', () => {
    const id = ok(['run', '-d', '--network', 'none', '--memory', '64m', 'ts-oci-busybox:test', 'sleep', '1000']).trim();
    const unit = `docker-${id}.scope`;
    const p = show(unit, 'ActiveState', 'Slice', 'MemoryMax', 'ControlGroup');
    expect(p).to.include({ ActiveState: 'active', Slice: 'system.slice', MemoryMax: String(64 * 1024 * 1024) });
    expect(fs.readFileSync(`/sys/fs/cgroup${p.ControlGroup}/memory.max`, 'utf8').trim()).to.equal(String(64 * 1024 * 1024));
    expect(ok(['exec', id, 'echo', 'hi']).trim()).to.equal('hi');
    ok(['rm', '-f', id]);
    expect(show(unit, 'LoadState').LoadState).to.equal('not-found');
  });

  it('run --rm: output and exit status', () => {
    const r = docker(['run', '--rm', '--network', 'none', 'ts-oci-busybox:test', 'sh', '-c', 'echo out; exit 5']);
    expect(r.stdout.trim()).to.equal('out');
    expect(r.status).to.equal(5);
  });
});
