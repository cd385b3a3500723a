'use strict';
// A containerd of the tests' own: its own config (version 2), root, state,
// gRPC and ttrpc sockets and namespace, started and stopped by the suite;
// the busybox image imported from a docker-archive written here from the
// rootfs tarball (no registry, no other engine needed). stop() leaves no
// task, shim, mount, cgroup, socket or directory behind.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const { spawn, spawnSync, execFileSync } = require('child_process');
const { BIN, requireEngine, engineDir, rootfsTarball, runClient, okOutput, quote, bin } = require('./engine-image');
const { readmeExample } = require('./readme');

/** Where README's examples say ts-oci is (a global npm install). */
const README_BIN = '/usr/local/lib/node_modules/ts-oci/bin/ts-oci';

const IMAGE = 'docker.io/library/ts-oci-busybox:test';
// The CRI plugin's sandbox ("pause") image: the same layer, a command that waits.
const PAUSE_IMAGE = 'docker.io/library/ts-oci-pause:test';
/** The CRI plugin's namespace (the kubelet's). */
const CRI_NAMESPACE = 'k8s.io';
/** The runtime handler (RuntimeClass handler) the CRI plugin knows ts-oci by. */
const HANDLER = 'ts-oci';
const NAMESPACE = `ts-oci-test-${process.pid}`;

/**
 * containerd's config: everything under dir. The CRI plugin's runtimes
 * table is the Kubernetes path: a RuntimeClass whose handler is "ts-oci"
 * reaches the runc shim with BinaryName = ts-oci (README's table).
 * Its CNI directories are ours too: the plugin creates the conf dir it
 * watches (no CNI is used: the pods have the node's network).
 */
function containerdConfig(dir) {
  return [
    'version = 2',
    `root = "${path.join(dir, 'root')}"`,
    `state = "${path.join(dir, 'state')}"`,
    '',
    '[grpc]',
    `  address = "${path.join(dir, 'containerd.sock')}"`,
    '',
    '[ttrpc]',
    `  address = "${path.join(dir, 'containerd.sock.ttrpc')}"`,
    '',
    '[debug]',
    '  level = "info"',
    '',
    '[plugins."io.containerd.grpc.v1.cri"]',
    `  sandbox_image = "${PAUSE_IMAGE}"`,
    // The sandbox asks for oom_score_adj -998: lowering it needs
    // CAP_SYS_RESOURCE, which this machine lacks (runc fails alike).
    '  restrict_oom_score_adj = true',
    '',
    '[plugins."io.containerd.grpc.v1.cri".cni]',
    `  bin_dir = "${path.join(dir, 'cni', 'bin')}"`,
    `  conf_dir = "${path.join(dir, 'cni', 'net.d')}"`,
    '',
    '[plugins."io.containerd.grpc.v1.cri".containerd]',
    '  default_runtime_name = "ts-oci"',
    '',
    // README's table as printed, with this checkout's bin/ts-oci.
    readmeExample('containerd-cri-runtime').split(README_BIN).join(bin),
  ].join('\n');
}

/**
 * A docker-archive (what `docker save` writes) of the busybox rootfs: one
 * layer, an image config per tag naming the layer's diff id, manifest.json
 * tagging them (the busybox image and the CRI sandbox image).
 */
function dockerArchive(dir) {
  const stage = path.join(dir, 'archive');
  fs.mkdirSync(stage);
  const layer = fs.readFileSync(rootfsTarball());
  const layerId = crypto.createHash('sha256').update(layer).digest('hex');
  fs.mkdirSync(path.join(stage, layerId));
  fs.writeFileSync(path.join(stage, layerId, 'layer.tar'), layer);
  const manifest = [[IMAGE, ['/bin/sh']], [PAUSE_IMAGE, ['/bin/sleep', '2147483647']]].map(([name, cmd]) => {
    const config = JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: cmd, Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'] },
      rootfs: { type: 'layers', diff_ids: [`sha256:${layerId}`] },
      history: [{ created_by: 'ts-oci tests: busybox rootfs' }],
    });
    const configId = crypto.createHash('sha256').update(config).digest('hex');
    fs.writeFileSync(path.join(stage, `${configId}.json`), config);
    return { Config: `${configId}.json`, RepoTags: [name.replace(/^docker\.io\/library\//, '')], Layers: [`${layerId}/layer.tar`] };
  });
  fs.writeFileSync(path.join(stage, 'manifest.json'), JSON.stringify(manifest));
  const out = path.join(dir, 'busybox-docker-archive.tar');
  execFileSync('tar', ['-C', stage, '-cf', out, '.']);
  fs.rmSync(stage, { recursive: true });
  return out;
}

/**
 * Hierarchies the kernel lists in /proc/self/cgroup that no mount shows: a
 * v1 hierarchy lingers after its umount while cgroups of it exist (crun's
 * bench mounts hugetlb, scripts/bench-crun-cgroup.js). containerd's cgroup
 * library then fails to load any container's cgroup ("cannot find cgroup
 * mount destination") and `ctr task metrics` is empty, for runc as much as
 * for ts-oci.
 */
function lingeringHierarchies() {
  const mountinfo = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const mounted = new Set();
  for (const l of mountinfo) {
    const m = / - cgroup \S+ (\S+)$/.exec(l);
    if (m) for (const o of m[1].split(',')) mounted.add(o);
  }
  return fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n').filter(Boolean)
    .map((l) => l.split(':')[1])
    .filter((ctrls) => ctrls && !ctrls.split(',').some((c) => mounted.has(c)));
}

class Containerd {
  constructor() {
    requireEngine('containerd', 'ctr', 'shim');
    this.dir = engineDir('containerd');
    this.socket = path.join(this.dir, 'containerd.sock');
    this.namespace = NAMESPACE;
    this.config = path.join(this.dir, 'config.toml');
    fs.writeFileSync(this.config, containerdConfig(this.dir));
    this.log = path.join(this.dir, 'containerd.log');
  }

  /**
   * Starts containerd in a mount namespace of its own (private
   * propagation): the shims it starts mount the containers' rootfs there,
   * and whatever a lingering hierarchy needs is mounted there only, never
   * on the host. Resolves once it answers on its socket.
   */
  async start() {
    const lingering = lingeringHierarchies();
    const mounts = lingering.map((ctrls, i) => {
      const at = path.join(this.dir, `cgroup-${i}`);
      fs.mkdirSync(at);
      const opt = ctrls.startsWith('name=') ? `none,${ctrls}` : ctrls;
      return `mount -t cgroup -o ${opt} cgroup ${at} && `;
    });
    const out = fs.openSync(this.log, 'a');
    this.daemon = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', `${mounts.join('')}exec ${BIN.containerd} --config "$0"`, this.config], {
      stdio: ['ignore', out, out],
    });
    fs.closeSync(out);
    this.exited = new Promise((resolve) => this.daemon.once('exit', resolve));
    for (let i = 0; i < 200; i++) {
      if (this.daemon.exitCode !== null) break;
      if (fs.existsSync(this.socket) && this.ctr(['version']).status === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`containerd did not start: ${fs.readFileSync(this.log, 'utf8').slice(-2000)}`);
  }

  baseArgs(namespace) {
    return ['--address', this.socket, '--namespace', namespace || this.namespace];
  }

  /** Runs ctr synchronously; { status, stdout, stderr }. */
  ctr(args, opts = {}) {
    return runClient(BIN.ctr, [...this.baseArgs(opts.namespace), ...args], opts);
  }

  ok(args, opts) {
    return okOutput('ctr', args, this.ctr(args, opts));
  }

  /** ctr run in the background: { child, exited: Promise<{ status, stdout, stderr }> }. */
  spawnCtr(args, opts = {}) {
    const child = spawn(BIN.ctr, [...this.baseArgs(opts.namespace), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise((resolve) => child.once('close', (status) => resolve({ status, stdout, stderr })));
    return { child, exited };
  }

  /** The shell command line of `ctr <args>` (for a pty via `script`). */
  commandLine(args, namespace) {
    return [BIN.ctr, ...this.baseArgs(namespace), ...args].map(quote).join(' ');
  }

  importImage(namespace) {
    const archive = this.archive || (this.archive = dockerArchive(this.dir));
    this.ok(['images', 'import', archive], { namespace, timeout: 180000 });
    return IMAGE;
  }

  /** Status of a task from `ctr task ls` (RUNNING, PAUSED, STOPPED), undefined when there is none. */
  taskStatus(id, namespace) {
    const line = this.ok(['task', 'ls'], { namespace }).split('\n').find((l) => l.split(/\s+/)[0] === id);
    return line ? line.trim().split(/\s+/)[2] : undefined;
  }

  /** Mount points under this containerd's dir as its own mount namespace sees them. */
  mountsInside() {
    try {
      const info = fs.readFileSync(`/proc/${this.daemon.pid}/mountinfo`, 'utf8');
      return info.split('\n').filter(Boolean).map((l) => l.split(' ')[4])
        .filter((p) => p.startsWith(this.dir + '/') && !/\/cgroup-\d+$/.test(p));
    } catch {
      return [];
    }
  }

  /** Live shims of this containerd (their command line names its socket). */
  shims() {
    return livePids((cmd) => cmd.startsWith(BIN.shim) && cmd.includes(this.socket));
  }

  /** Every task killed and deleted, containers, images and namespaces removed. */
  clean(namespace) {
    const ns = { namespace };
    const tasks = this.ctr(['task', 'ls', '-q'], ns).stdout.split('\n').filter(Boolean);
    for (const t of tasks) this.ctr(['task', 'kill', '-a', '-s', 'SIGKILL', t], ns);
    for (const t of tasks) {
      for (let i = 0; i < 100 && this.taskStatus(t, namespace) === 'RUNNING'; i++) spawnSync('sleep', ['0.05']);
      this.ctr(['task', 'delete', '-f', t], ns);
    }
    for (const c of this.ctr(['containers', 'ls', '-q'], ns).stdout.split('\n').filter(Boolean)) this.ctr(['containers', 'rm', c], ns);
    for (const i of this.ctr(['images', 'ls', '-q'], ns).stdout.split('\n').filter(Boolean)) this.ctr(['images', 'rm', '--sync', i], ns);
  }

  /**
   * Stops containerd after cleaning its namespaces. Returns what had to be
   * forced: mounts still inside its namespace, shims still alive.
   */
  async stop(namespaces = [this.namespace]) {
    const forced = { mounts: [], shims: [] };
    if (this.daemon && this.daemon.exitCode === null) {
      for (const ns of namespaces) this.clean(ns);
      for (const ns of namespaces) this.ctr(['namespaces', 'rm', ns]);
      forced.mounts = this.mountsInside();
      forced.shims = this.shims();
      for (const pid of forced.shims) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      this.daemon.kill('SIGTERM');
      await this.exited;
    }
    // The runc shim's default state root for ts-oci (Options.Root unset),
    // the shims' sockets (/run/containerd/s: fixed in containerd 1.6),
    // the namespaces' cgroups: removed once empty (rmdir refuses
    // otherwise, so a system containerd's are safe).
    const runDirs = [...namespaces.map((ns) => path.join('/run/containerd/runc', ns)), '/run/containerd/runc', '/run/containerd/s', '/run/containerd'];
    const cgroupDirs = namespaces.flatMap((ns) => cgroupHierarchies().map((h) => path.join(h, ns)));
    for (const d of [...runDirs, ...cgroupDirs]) {
      try { fs.rmdirSync(d); } catch { /* absent or in use */ }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
    return forced;
  }

  /**
   * What ts-oci left of these task ids: state directories (in the runc
   * shim's default root for the namespace) and cgroups (ctr puts a task
   * in /<namespace>/<id>, the CRI plugin in <cgroup_parent>/<id>).
   */
  leftovers(ids, { namespace = this.namespace, cgroupParent = namespace } = {}) {
    const left = [];
    const stateRoot = path.join('/run/containerd/runc', namespace);
    for (const id of ids) {
      if (fs.existsSync(path.join(stateRoot, id))) left.push(`state ${path.join(stateRoot, id)}`);
      for (const h of cgroupHierarchies()) {
        const d = path.join(h, cgroupParent, id);
        if (fs.existsSync(d)) left.push(`cgroup ${d}`);
      }
    }
    return left;
  }
}

function livePids(match) {
  const pids = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (match(fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').replace(/\0/g, ' '))) pids.push(Number(e));
    } catch { /* exited */ }
  }
  return pids;
}

/** Every mounted cgroup hierarchy (v1 controllers, named ones and cgroup2). */
function cgroupHierarchies() {
  const lines = fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter(Boolean);
  return lines.filter((l) => / - cgroup2? /.test(l)).map((l) => l.split(' ')[4]);
}

module.exports = { Containerd, IMAGE, PAUSE_IMAGE, NAMESPACE, CRI_NAMESPACE, HANDLER, containerdConfig, dockerArchive, lingeringHierarchies };
