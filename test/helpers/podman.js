'use strict';
// A Podman of the tests' own: its own --root, --runroot, tmpdir and
// containers.conf (CONTAINERS_CONF), ts-oci as the OCI runtime, cgroupfs,
// file events, no network. Nothing it makes lives outside its directory,
// and stop() leaves no container, conmon, mount, cgroup or image behind.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { BIN, requireEngine, engineDir, rootfsTarball, runClient, okOutput, quote, bin } = require('./engine-image');
const { readmeExample } = require('./readme');

const IMAGE = 'localhost/ts-oci-busybox:test';

/**
 * containers.conf: README's block as printed (ts-oci registered, named in
 * runtime_supports_json so that Podman passes --log-format=json: it does
 * so only for the runtimes listed there), with this checkout's bin/ts-oci;
 * `json: false` drops ts-oci from that list, to test both. Then what this
 * machine and the suite need: default_ulimits = [] (Podman's default
 * raises RLIMIT_NOFILE above the hard limit, which needs the
 * CAP_SYS_RESOURCE this machine lacks), no network, and every directory
 * under dir (the CNI lock file included).
 */
function containersConf(dir, { json = true } = {}) {
  let engine = readmeExample('podman-containers-conf').split('/usr/local/lib/node_modules/ts-oci/bin/ts-oci').join(bin);
  if (!json) {
    const without = engine.replace(/^runtime_supports_json = .*$/m, 'runtime_supports_json = ["crun", "runc"]');
    if (without === engine) throw new Error('README podman-containers-conf: no runtime_supports_json line');
    engine = without;
  }
  const ours = [
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    `events_logfile_path = "${path.join(dir, 'events.log')}"`,
    `conmon_path = ["${BIN.conmon}"]`,
    `tmp_dir = "${path.join(dir, 'tmp')}"`,
    `static_dir = "${path.join(dir, 'root', 'libpod')}"`,
    `volume_path = "${path.join(dir, 'root', 'volumes')}"`,
  ];
  return [
    '[containers]',
    'default_ulimits = []',
    'netns = "none"',
    'log_driver = "k8s-file"',
    '',
    '[network]',
    `network_config_dir = "${path.join(dir, 'cni')}"`,
    '',
    engine.replace(/^\[engine\]\n/m, `[engine]\n${ours.join('\n')}\n`),
  ].join('\n');
}

/**
 * storage.conf: the vfs driver copies each layer in full, but it needs no
 * overlay mount of its own (overlay's per-layer mounts are one more thing
 * teardown has to find); the busybox image is one small layer.
 */
function storageConf(dir, runroot) {
  return [
    '[storage]',
    'driver = "vfs"',
    `graphroot = "${path.join(dir, 'root')}"`,
    `runroot = "${runroot}"`,
    '',
  ].join('\n');
}

class Podman {
  constructor(opts = {}) {
    requireEngine('podman', 'conmon');
    this.dir = engineDir('podman');
    // Podman refuses a runroot over 50 characters (conmon's attach socket
    // lives under it and a unix socket path has 108 bytes).
    this.runroot = fs.mkdtempSync('/tmp/ts-oci-pm-');
    fs.mkdirSync(path.join(this.dir, 'tmp'));
    // Podman passes no --root: ts-oci's default. (--runtime-flag root=... is
    // not handed on to the `container cleanup` conmon runs at exit, which
    // would delete from the default root.)
    this.stateRoot = '/run/ts-oci';
    this.confs = {
      json: path.join(this.dir, 'containers.conf'),
      plain: path.join(this.dir, 'containers-nojson.conf'),
    };
    fs.writeFileSync(this.confs.json, containersConf(this.dir, { json: true }));
    fs.writeFileSync(this.confs.plain, containersConf(this.dir, { json: false }));
    fs.writeFileSync(path.join(this.dir, 'storage.conf'), storageConf(this.dir, this.runroot));
    this.runtime = opts.runtime || 'ts-oci';
  }

  env(conf) {
    return {
      ...process.env,
      CONTAINERS_CONF: conf || this.confs.json,
      CONTAINERS_STORAGE_CONF: path.join(this.dir, 'storage.conf'),
      CONTAINERS_REGISTRIES_CONF: path.join(this.dir, 'registries.conf'),
      TMPDIR: path.join(this.dir, 'tmp'),
      XDG_RUNTIME_DIR: path.join(this.dir, 'tmp'),
    };
  }

  globalArgs() {
    return [
      '--root', path.join(this.dir, 'root'),
      '--runroot', this.runroot,
      '--tmpdir', path.join(this.dir, 'tmp'),
      '--runtime', this.runtime === 'ts-oci' ? bin : this.runtime,
      '--cgroup-manager', 'cgroupfs',
      '--events-backend', 'file',
      '--storage-driver', 'vfs',
    ];
  }

  /** Runs podman synchronously; { status, stdout, stderr }. */
  run(args, opts = {}) {
    return runClient(BIN.podman, [...this.globalArgs(), ...args], { ...opts, env: this.env(opts.conf) });
  }

  /** Like run() but throws on a non-zero exit. */
  ok(args, opts) {
    return okOutput('podman', args, this.run(args, opts));
  }

  /** The shell command line for `podman <args>` (for a pty via `script`). */
  commandLine(args, conf) {
    const env = this.env(conf);
    const vars = ['CONTAINERS_CONF', 'CONTAINERS_STORAGE_CONF', 'CONTAINERS_REGISTRIES_CONF', 'TMPDIR', 'XDG_RUNTIME_DIR']
      .map((k) => `${k}=${quote(env[k])}`);
    return ['env', ...vars, BIN.podman, ...this.globalArgs(), ...args].map((a, i) => (i <= vars.length ? a : quote(a))).join(' ');
  }

  importImage() {
    fs.writeFileSync(path.join(this.dir, 'registries.conf'), 'unqualified-search-registries = []\n');
    this.ok(['import', '--change', 'CMD ["/bin/sh"]', rootfsTarball(), IMAGE], { timeout: 180000 });
    return IMAGE;
  }

  /**
   * Removes every container and image, then everything under the dirs.
   * Returns what Podman itself should have cleaned up but had to be
   * forced: conmon processes killed, mounts unmounted.
   */
  stop() {
    this.run(['rm', '-af', '-t', '0']);
    this.run(['rmi', '-af']);
    const forced = { conmon: [...conmonPids(this.dir), ...conmonPids(this.runroot)], mounts: [] };
    for (const pid of forced.conmon) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
    for (const d of [this.runroot, this.dir]) {
      forced.mounts.push(...unmountUnder(d));
      fs.rmSync(d, { recursive: true, force: true });
    }
    // Podman's own cgroups (conmon's, the parent): removed once empty;
    // rmdir fails on a non-empty cgroup, so another Podman's are safe.
    for (const h of cgroupHierarchies()) {
      for (const d of ['libpod_parent/conmon', 'libpod_parent']) {
        try { fs.rmdirSync(path.join(h, d)); } catch { /* absent or in use */ }
      }
    }
    return forced;
  }

  /** What ts-oci left of these container ids: state directories and cgroups (runtime's job). */
  leftovers(ids) {
    const left = [];
    for (const id of ids) {
      if (fs.existsSync(path.join(this.stateRoot, id))) left.push(`state ${id}`);
      for (const h of cgroupHierarchies()) {
        const d = path.join(h, 'libpod_parent', `libpod-${id}`);
        if (fs.existsSync(d)) left.push(`cgroup ${d}`);
      }
    }
    return left;
  }
}

/** Every mounted cgroup hierarchy (v1 controllers, named ones and cgroup2). */
function cgroupHierarchies() {
  const lines = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean);
  return lines.filter((l) => / - cgroup2? /.test(l)).map((l) => l.split(' ')[4]);
}

/** Pids of the conmon processes whose command line mentions dir. */
function conmonPids(dir) {
  const pids = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8');
      if (cmd.includes(dir) && cmd.startsWith(BIN.conmon)) pids.push(Number(e));
    } catch { /* exited */ }
  }
  return pids;
}

/** Mount points under dir (deepest first), from /proc/self/mountinfo. */
function mountsUnder(dir) {
  const lines = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean);
  const points = lines.map((l) => l.split(' ')[4].replace(/\\040/g, ' '));
  return points.filter((p) => p === dir || p.startsWith(dir + '/')).sort((a, b) => b.length - a.length);
}

function unmountUnder(dir) {
  const points = mountsUnder(dir);
  for (const p of points) spawnSync('umount', ['-l', p]);
  return points;
}

module.exports = { Podman, IMAGE, mountsUnder };
