'use strict';
// One dockerd per test file, with ts-oci registered as the runtime "ts-oci",
// kept off the host's state: its own mount namespace, data root, exec root
// (where dockerd 20.10 starts its managed containerd), pid file, socket,
// daemon.json, trust key, cgroup parent and client config; no bridge, no
// iptables, no IP forwarding, no userland proxy; containers always
// `--network none`. stop()
// removes every container, stops the daemon and undoes what is left:
// processes, mounts and cgroups of this daemon, then its directories, and
// reports what it had to clean (leftovers() is what the last test checks).
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { BIN, requireEngine, engineDir, rootfsTarball, runClient, okOutput, bin } = require('./engine-image');

const IMAGE = 'ts-oci-busybox:test';
// dockerd 20.10 hardcodes these (plugin sockets, containerd's shim sockets):
// removed at stop when this daemon made them and they are empty. Not
// counted as leftovers: another containerd may use /run/containerd meanwhile.
const FIXED_DIRS = ['/run/docker/plugins', '/run/docker', '/run/containerd/s', '/run/containerd'];

function sleep(seconds) {
  spawnSync('sleep', [String(seconds)]);
}

/** Host mount points under `dir`, deepest first. */
function mountsUnder(dir) {
  const points = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean)
    .map((l) => l.split(' ')[4].replace(/\\(\d{3})/g, (_, o) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(dir + '/'));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Pids whose command line names `dir` (dockerd, its containerd, the shims). */
function processesUnder(dir) {
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/\) Z /.test(stat)) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/**
 * v1 controllers this process is in (/proc/self/cgroup) whose hierarchy is
 * mounted nowhere here: one left by an earlier mount that still has cgroups
 * (this machine's hugetlb). containerd's cgroup loader then fails for every
 * runtime ("cannot find cgroup mount destination") and `docker stats` is
 * empty, so the daemon's own mount namespace mounts each of them.
 */
function unmountedHierarchies() {
  const mounted = new Set();
  for (const line of fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [, fsPart] = line.split(' - ');
    if (fsPart && fsPart.startsWith('cgroup ')) for (const o of fsPart.split(' ')[2].split(',')) mounted.add(o);
  }
  return fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n').map((l) => l.split(':')[1])
    .filter((c) => c && !c.split(',').every((x) => mounted.has(x)));
}

/** The cgroup parent's directory in every mounted hierarchy that has it. */
function cgroupDirs(parent) {
  const dirs = [];
  for (const h of fs.readdirSync('/sys/fs/cgroup')) {
    const d = path.join('/sys/fs/cgroup', h, parent);
    if (fs.existsSync(d)) dirs.push(d);
  }
  return dirs;
}

function removeCgroupTree(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) removeCgroupTree(path.join(dir, e.name));
  }
  fs.rmdirSync(dir);
}

class Dockerd {
  /**
   * `cgroupDriver: 'systemd'` is Docker's other driver (this host has no
   * systemd for it); `runtimes` registers more runtimes beside ts-oci ({ crun: path }).
   */
  constructor({ cgroupDriver = 'cgroupfs', runtimes = {} } = {}) {
    this.cgroupDriver = cgroupDriver;
    this.extraRuntimes = runtimes;
    requireEngine('dockerd', 'docker');
    this.dir = engineDir('docker');
    this.socket = path.join(this.dir, 'docker.sock');
    this.execRoot = path.join(this.dir, 'exec');
    this.dataRoot = path.join(this.dir, 'data');
    this.cgroupParent = `/ts-oci-docker-${process.pid}`;
    this.tsOci = bin;
    this.madeFixedDirs = FIXED_DIRS.filter((d) => !fs.existsSync(d));
    const containerdSocket = path.join(this.execRoot, 'containerd/containerd.sock');
    if (containerdSocket.length > 100) throw new Error(`${containerdSocket}: too long for a unix socket; move the checkout or set TS_OCI_TEST_WORK`);
  }

  /** Starts the daemon and waits (with a deadline) until it answers; imports the busybox image. */
  start() {
    const config = {
      runtimes: { 'ts-oci': { path: bin }, ...Object.fromEntries(Object.entries(this.extraRuntimes).map(([n, p]) => [n, { path: p }])) },
      'deprecated-key-path': path.join(this.dir, 'key.json'),
      'userland-proxy': false,
      'storage-driver': 'overlay2',
      'exec-opts': [`native.cgroupdriver=${this.cgroupDriver}`],
    };
    // The systemd driver takes a slice; without systemd it never gets as far as a cgroup here.
    if (this.cgroupDriver === 'cgroupfs') config['cgroup-parent'] = this.cgroupParent;
    const configFile = path.join(this.dir, 'daemon.json');
    fs.writeFileSync(configFile, JSON.stringify(config, null, 2));
    this.logFile = path.join(this.dir, 'dockerd.log');
    const log = fs.openSync(this.logFile, 'a');
    // Its own mount namespace: what dockerd and the shims mount stays there
    // and goes with it; the hierarchies mounted nowhere get mounted (see above).
    this.privateCgroups = unmountedHierarchies().map((c) => ({ controllers: c, mountPoint: path.join(this.dir, 'cgroup', c) }));
    const mounts = this.privateCgroups.map((m) => `mkdir -p '${m.mountPoint}' && mount -t cgroup -o ${m.controllers} cgroup '${m.mountPoint}' && `).join('');
    this.child = spawn('unshare', ['--mount', '--propagation', 'private', '--', '/bin/sh', '-c', `${mounts}exec "$0" "$@"`, BIN.dockerd,
      '--data-root', this.dataRoot, '--exec-root', this.execRoot,
      '--pidfile', path.join(this.dir, 'docker.pid'), '-H', `unix://${this.socket}`,
      '--config-file', configFile,
      '--bridge=none', '--iptables=false', '--ip6tables=false', '--ip-masq=false', '--ip-forward=false',
    ], { stdio: ['ignore', log, log], env: this.env() });
    fs.closeSync(log);
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.waitReady();
    this.ok(['import', rootfsTarball(), IMAGE]);
    return this;
  }

  env() {
    const env = { ...process.env, DOCKER_CONFIG: path.join(this.dir, 'client'), PATH: '/usr/sbin:/usr/bin:/sbin:/bin' };
    for (const k of ['DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_RAMDISK', 'NOTIFY_SOCKET', 'NODE_EXTRA_CA_CERTS']) delete env[k];
    return env;
  }

  waitReady() {
    for (let i = 0; i < 300; i++) {
      if (this.child.exitCode !== null) break;
      if (this.docker(['info', '--format', '{{.ServerVersion}}']).status === 0) return;
      sleep(0.2);
    }
    throw new Error(`dockerd did not come up: ${this.logTail()}`);
  }

  logTail(lines = 15) {
    try {
      return fs.readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** The client's argv before the command (for a shell line). */
  dockerArgv() {
    return [BIN.docker, '-H', `unix://${this.socket}`];
  }

  /** `docker -H unix://<ours> ...args`; stdin /dev/null unless `input`. Returns { status, stdout, stderr }. */
  docker(args, opts = {}) {
    const [docker, ...global] = this.dockerArgv();
    return runClient(docker, [...global, ...args], { ...opts, env: this.env() });
  }

  /** `docker` that must succeed; returns stdout. */
  ok(args, opts) {
    return okOutput('docker', args, this.docker(args, opts));
  }

  /** The argv of `docker run` with ts-oci and no network: run(['--rm'], 'sh', '-c', 'id'). */
  runArgs(flags, ...command) {
    return ['run', '--runtime', 'ts-oci', '--network', 'none', ...flags, IMAGE, ...command];
  }

  /** ts-oci's --root as the runc shim sets it for Docker (the literal "runc" in the path, namespace moby). */
  runtimeRoot() {
    return path.join(this.execRoot, 'runtime-runc', 'moby');
  }

  /** The cgroup parent in the hierarchies only the daemon's namespace mounts; a container cgroup left there is a leak. */
  removePrivateCgroups() {
    const cleaned = [];
    for (const m of this.privateCgroups) {
      const parent = path.join(m.mountPoint, this.cgroupParent);
      const r = spawnSync('nsenter', [`--mount=/proc/${this.pid}/ns/mnt`, '--', 'find', parent, '-depth', '-type', 'd'], { encoding: 'utf8' });
      const dirs = r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
      if (dirs.length > 1) cleaned.push(`cgroup under ${parent}`);
      if (dirs.length) spawnSync('nsenter', [`--mount=/proc/${this.pid}/ns/mnt`, '--', 'rmdir', ...dirs]);
    }
    return cleaned;
  }

  /** The container ids in ts-oci's state under that root (none before the first create). */
  runtimeStates() {
    return fs.existsSync(this.runtimeRoot()) ? fs.readdirSync(this.runtimeRoot()) : [];
  }

  /** What a stopped daemon left behind (empty when clean). */
  leftovers() {
    const found = [];
    for (const pid of processesUnder(this.dir)) found.push(`process ${pid}: ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    for (const m of mountsUnder(this.dir)) found.push(`mount ${m}`);
    for (const d of cgroupDirs(this.cgroupParent)) found.push(`cgroup ${d}`);
    if (fs.existsSync(this.dir)) found.push(`directory ${this.dir}`);
    return found;
  }

  /** Removes every container, stops the daemon, cleans up what is left; returns what it had to clean. */
  async stop() {
    if (!this.child) return [];
    const cleaned = [];
    if (this.child.exitCode === null) {
      const ids = this.docker(['ps', '-aq']).stdout.split('\n').filter(Boolean);
      if (ids.length) this.docker(['rm', '-f', ...ids]);
      cleaned.push(...this.removePrivateCgroups());
      this.child.kill('SIGTERM');
      const deadline = new Promise((resolve) => setTimeout(resolve, 30000, 'timeout'));
      if ((await Promise.race([this.exited, deadline])) === 'timeout') {
        cleaned.push('dockerd ignored SIGTERM for 30 s');
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    for (let i = 0; i < 50 && processesUnder(this.dir).length; i++) sleep(0.1);
    for (const pid of processesUnder(this.dir)) {
      cleaned.push(`process ${pid}`);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Gone meanwhile.
      }
    }
    for (const m of mountsUnder(this.dir)) {
      cleaned.push(`mount ${m}`);
      spawnSync('umount', ['-l', m]);
    }
    for (const d of cgroupDirs(this.cgroupParent)) {
      // The parent itself is dockerd's; a container cgroup under it is a leak.
      if (fs.readdirSync(d, { withFileTypes: true }).some((e) => e.isDirectory())) cleaned.push(`cgroup under ${d}`);
      removeCgroupTree(d);
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    for (const d of this.madeFixedDirs) {
      try {
        fs.rmdirSync(d);
      } catch {
        // Not empty: someone else's now.
      }
    }
    this.child = undefined;
    return cleaned;
  }
}

/** A started daemon (call stop() in after()). */
function startDockerd(options) {
  return new Dockerd(options).start();
}

module.exports = { startDockerd, IMAGE, mountsUnder };
