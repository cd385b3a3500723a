'use strict';
// Podman (with Debian's conmon) drives ts-oci: every scenario of issue 9's
// Podman list, checked from inside the containers, and the error paths
// whose line Podman shows comes from ts-oci (its JSON log when Podman
// passes --log-format=json, its stderr when not).
const { expect } = require('chai');
const fs = require('fs');
const path = require('path');
const { Podman } = require('../helpers/podman');
const { inPty } = require('../helpers/terminal');
const { repo } = require('../helpers/engine-image');

const NOT_FOUND = 'unable to start container process: exec: "nonexistent": executable file not found in $PATH';

describe('engines: Podman drives ts-oci', function () {
  let podman;
  let image;
  const ids = [];
  let counter = 0;

  /** A container name of this run; its id is remembered for the leftovers check. */
  function name() {
    return `pm-${process.pid}-${++counter}`;
  }
  function remember(nameOrId) {
    const r = podman.run(['inspect', '--format', '{{.Id}}', nameOrId]);
    if (r.status === 0) ids.push(r.stdout.trim());
  }
  function runDetached(n, ...cmd) {
    const id = podman.ok(['run', '-d', '--network', 'none', '--name', n, image, ...cmd]).trim();
    ids.push(id);
    return id;
  }
  function inspect(n, format) {
    return podman.ok(['inspect', '--format', format, n]).trim();
  }
  /** Ids of containers whose create failed: Podman forgets them, ts-oci must too. */
  function createdIds(before) {
    const dir = path.join(podman.dir, 'root', 'vfs-containers');
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((d) => !before.includes(d)) : [];
  }

  before(function () {
    this.timeout(300000);
    podman = new Podman();
    image = podman.importImage();
  });

  after(function () {
    this.timeout(120000);
    if (!podman) return;
    podman.run(['rm', '-af', '-t', '0']);
    const left = podman.leftovers(ids);
    const forced = podman.stop();
    expect(left, 'state or cgroups ts-oci left behind').to.deep.equal([]);
    expect(forced, 'conmon processes or mounts Podman left behind').to.deep.equal({ conmon: [], mounts: [] });
  });

  it('podman info names ts-oci as the OCI runtime, with its version', () => {
    const info = JSON.parse(podman.ok(['info', '--format', '{{json .Host.OCIRuntime}}']));
    const { version } = require(path.join(repo, 'package.json'));
    expect(info.path).to.equal(path.join(repo, 'bin/ts-oci'));
    expect(info.name).to.match(/ts-oci$/);
    expect(info.version).to.match(new RegExp(`^ts-oci version ${version.replace(/\./g, '\\.')}\\b`));
  });

  it('run: output and the exit code, from inside the container', () => {
    const n = name();
    const r = podman.run(['run', '--name', n, '--network', 'none', image, 'sh', '-c',
      'cat /proc/1/cmdline | tr "\\0" " "; echo; hostname; ls /sys/class/net; exit 3']);
    remember(n);
    expect(r.status, r.stderr).to.equal(3);
    const [cmdline, hostname, nets] = r.stdout.split('\n');
    expect(cmdline.trim()).to.match(/^sh -c cat/);
    expect(hostname).to.equal(inspect(n, '{{.Config.Hostname}}'));
    expect(nets).to.equal('lo'); // --network none: a network namespace with loopback only
    expect(inspect(n, '{{.State.ExitCode}}')).to.equal('3');
    podman.ok(['rm', n]);
  });

  it('run -d, then exec (pid namespace shared) and exec -t (a pty of its own)', () => {
    const n = name();
    runDetached(n, 'sleep', '1000');
    expect(inspect(n, '{{.State.Status}}')).to.equal('running');
    const out = podman.ok(['exec', n, 'sh', '-c', 'cat /proc/1/cmdline | tr "\\0" " "; echo; id -u; [ -t 0 ] || echo notty']);
    expect(out).to.equal('sleep 1000 \n0\nnotty\n');
    const t = inPty(podman.commandLine(['exec', '-t', n, 'sh', '-c', 'tty; [ -t 1 ] && echo isatty']));
    expect(t.status, t.output).to.equal(0);
    expect(t.output).to.match(/^\/dev\/pts\/\d+\nisatty\n/);
    const it = inPty(podman.commandLine(['exec', '-it', n, 'sh']), 'echo $((6*7))x\nexit 5\n');
    expect(it.status, it.output).to.equal(5);
    expect(it.output).to.include('42x');
    podman.ok(['rm', '-f', '-t', '0', n]);
  });

  it('top lists the container\'s processes', () => {
    const n = name();
    runDetached(n, 'sh', '-c', 'sleep 1001 & exec sleep 1002');
    let out = '';
    for (let i = 0; i < 50 && !/sleep 1001/.test(out); i++) out = podman.ok(['top', n, 'pid', 'args']);
    expect(out.split('\n')[0]).to.match(/^PID\s+COMMAND/);
    expect(out).to.match(/^1\s+sleep 1002/m);
    expect(out).to.match(/sleep 1001/);
    podman.ok(['rm', '-f', '-t', '0', n]);
  });

  it('pause freezes the container\'s cgroup, unpause thaws it', () => {
    const n = name();
    runDetached(n, 'sleep', '1000');
    const pid = inspect(n, '{{.State.Pid}}');
    const freezer = fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').match(/^\d+:freezer:(.*)$/m)[1];
    const state = () => fs.readFileSync(path.join('/sys/fs/cgroup/freezer', freezer, 'freezer.state'), 'utf8').trim();
    podman.ok(['pause', n]);
    expect(inspect(n, '{{.State.Status}}')).to.equal('paused');
    expect(state()).to.equal('FROZEN');
    podman.ok(['unpause', n]);
    expect(inspect(n, '{{.State.Status}}')).to.equal('running');
    expect(state()).to.equal('THAWED');
    expect(podman.ok(['exec', n, 'echo', 'thawed'])).to.equal('thawed\n');
    podman.ok(['rm', '-f', '-t', '0', n]);
  });

  it('stop delivers SIGTERM (the container\'s trap exits 7), then SIGKILL after the timeout', () => {
    const trapped = name();
    runDetached(trapped, 'sh', '-c', 'trap "exit 7" TERM; while :; do sleep 0.1; done');
    podman.ok(['stop', '-t', '30', trapped]);
    expect(inspect(trapped, '{{.State.ExitCode}}')).to.equal('7');
    // pid 1 without a handler ignores SIGTERM: only the timeout's SIGKILL ends it.
    const deaf = name();
    runDetached(deaf, 'sleep', '1000');
    podman.ok(['stop', '-t', '1', deaf]);
    expect(inspect(deaf, '{{.State.ExitCode}}')).to.equal('137');
    podman.ok(['rm', trapped, deaf]);
  });

  it('rm -f of a running container kills it and removes it', () => {
    const n = name();
    const id = runDetached(n, 'sleep', '1000');
    const pid = Number(inspect(n, '{{.State.Pid}}'));
    podman.ok(['rm', '-f', '-t', '0', n]);
    expect(podman.ok(['ps', '-aq', '--no-trunc'])).to.not.include(id);
    expect(fs.existsSync(`/proc/${pid}`) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).to.not.equal('sleep\x001000\x00');
    expect(podman.leftovers([id])).to.deep.equal([]);
  });

  it('run -t: the container\'s stdio is a pty, and its exit code comes back', () => {
    const r = inPty(podman.commandLine(['run', '--rm', '-t', '--network', 'none', image, 'sh', '-c', 'tty; [ -t 0 ] && [ -t 1 ] && echo both; exit 4']));
    expect(r.status, r.output).to.equal(4);
    expect(r.output).to.match(/^\/dev\/pts\/\d+\nboth\n/);
  });

  it('--rm removes the container and ts-oci\'s state of it', () => {
    const before = createdIds([]);
    const n = name();
    const r = podman.run(['run', '--rm', '--name', n, '--network', 'none', image, 'echo', 'gone']);
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.equal('gone\n');
    expect(podman.run(['inspect', n]).status).to.not.equal(0);
    const made = createdIds(before);
    ids.push(...made);
    expect(podman.leftovers(made)).to.deep.equal([]);
  });

  it('podman logs shows the container\'s stdout and stderr', () => {
    const n = name();
    runDetached(n, 'sh', '-c', 'echo to-out; echo to-err >&2');
    podman.ok(['wait', n]);
    const r = podman.run(['logs', n]);
    expect(r.stdout).to.equal('to-out\n');
    expect(r.stderr).to.equal('to-err\n');
    podman.ok(['rm', n]);
  });

  describe('error paths: the line Podman shows is ts-oci\'s, and nothing is left behind', () => {
    function failedRun(args, conf) {
      const before = createdIds([]);
      const r = podman.run(['run', '--rm', '--network', 'none', ...args], { conf });
      const made = createdIds(before);
      ids.push(...made);
      expect(podman.ok(['ps', '-aq'])).to.equal('');
      return { ...r, error: r.stderr.split('\n').filter((l) => l.startsWith('Error: ')) };
    }

    it('a missing command: exit 127, from runc\'s phrase in the JSON log (runtime_supports_json names ts-oci)', () => {
      const r = failedRun([image, 'nonexistent'], podman.confs.json);
      expect(r.status).to.equal(127);
      expect(r.error).to.have.length(1);
      // JSON log: Podman shows the msg field alone, after the runtime's path.
      expect(r.error[0]).to.match(/^Error: \S+\/ts-oci: create [0-9a-f]{64}: /);
      expect(r.error[0]).to.include(NOT_FOUND);
    });

    it('a missing command: exit 127 too when Podman reads ts-oci\'s stderr (no --log-format=json)', () => {
      const r = failedRun([image, 'nonexistent'], podman.confs.plain);
      expect(r.status).to.equal(127);
      expect(r.error).to.have.length(1);
      expect(r.error[0]).to.match(/\/ts-oci: ts-oci: create [0-9a-f]{64}: /);
      expect(r.error[0]).to.include(NOT_FOUND);
    });

    it('exec of a missing command: 127 and runc\'s phrase (ts-oci exits 255, as runc, when exec fails)', () => {
      const n = name();
      runDetached(n, 'sleep', '1000');
      const r = podman.run(['exec', n, 'nonexistent']);
      expect(r.status, r.stderr).to.equal(127);
      expect(r.stderr).to.include(NOT_FOUND);
      podman.ok(['rm', '-f', '-t', '0', n]);
    });

    it('a directory as the command: exit 126 with runc\'s phrase', () => {
      const r = failedRun([image, '/etc'], podman.confs.json);
      expect(r.status).to.equal(126);
      expect(r.error[0]).to.match(/: unable to start container process: exec: "\/etc": is a directory$/);
    });

    it('a --memory too small to start: runc\'s "container init was OOM-killed (memory limit too low?)"', () => {
      const r = failedRun(['--memory', '8k', image, 'true'], podman.confs.json);
      expect(r.status).to.equal(126);
      expect(r.error).to.have.length(1);
      expect(r.error[0]).to.match(/^Error: OCI runtime error: \S+\/ts-oci: create [0-9a-f]{64}: container init was OOM-killed \(memory limit too low\?\)$/);
    });

    it('a bad --user: Podman resolves the name in the image\'s /etc/passwd itself and refuses before any runtime call', () => {
      const r = failedRun(['--user', 'nosuchuser', image, 'true'], podman.confs.json);
      expect(r.status).to.equal(126);
      expect(r.error).to.deep.equal(['Error: unable to find user nosuchuser: no matching entries in passwd file']);
    });

    it('a --user that exists runs as it (uid and gid from the image\'s /etc/passwd)', () => {
      const r = podman.run(['run', '--rm', '--network', 'none', '--user', 'nobody', image, 'id']);
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/^uid=65534\(nobody\) gid=65534/);
    });
  });
});
