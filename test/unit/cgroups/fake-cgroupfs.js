// A temporary directory laid out like cgroupfs (youki's trick): every cgroup
// directory holds its controller files, writes never create files (a missing
// file is ENOENT, as on the real thing), mkdir populates the new cgroup.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const COMMON = { 'cgroup.procs': '' };
const V1_FILES = {
  memory: { 'memory.limit_in_bytes': '9223372036854771712', 'memory.memsw.limit_in_bytes': '9223372036854771712', 'memory.soft_limit_in_bytes': '9223372036854771712', 'memory.swappiness': '60', 'memory.oom_control': 'oom_kill_disable 0' },
  pids: { 'pids.max': 'max' },
  cpu: { 'cpu.shares': '1024', 'cpu.cfs_period_us': '100000', 'cpu.cfs_quota_us': '-1', 'cpu.rt_period_us': '1000000', 'cpu.rt_runtime_us': '0' },
  cpuset: { 'cpuset.cpus': '', 'cpuset.mems': '' },
  devices: { 'devices.allow': '', 'devices.deny': '' },
  freezer: { 'freezer.state': 'THAWED' },
  // Like a kernel without CFQ/BFQ: throttling only, no weights.
  blkio: { 'blkio.throttle.read_bps_device': '', 'blkio.throttle.write_bps_device': '', 'blkio.throttle.read_iops_device': '', 'blkio.throttle.write_iops_device': '' },
};
const V2_FILES = { 'cgroup.controllers': '', 'cgroup.subtree_control': '', 'cgroup.freeze': '0', 'cgroup.kill': '', 'cgroup.events': 'populated 0\nfrozen 0\n' };
const V2_CONTROLLER_FILES = {
  memory: { 'memory.max': 'max', 'memory.low': '0', 'memory.swap.max': 'max' },
  pids: { 'pids.max': 'max' },
  cpu: { 'cpu.weight': '100', 'cpu.max': 'max 100000', 'cpu.idle': '0' },
  io: { 'io.max': '', 'io.weight': 'default 100' },
};

function writeFiles(dir, files) {
  for (const [name, value] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), value);
}

class FakeCgroupfs {
  /** hierarchies: [{ mount: 'memory', controllers: ['memory'] } | { mount: 'unified', v2: true, controllers: [...] }] */
  constructor(hierarchies) {
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'ts-oci-cgfs-'));
    this.hierarchies = hierarchies.map((h) => ({ ...h, mountPoint: path.join(this.root, h.mount) }));
    for (const h of this.hierarchies) {
      fs.mkdirSync(h.mountPoint);
      this.populate(h, h.mountPoint, true);
    }
  }

  hierarchyOf(p) {
    return this.hierarchies.find((h) => p === h.mountPoint || p.startsWith(h.mountPoint + '/'));
  }

  populate(h, dir, isRoot) {
    writeFiles(dir, COMMON);
    if (h.v2) {
      writeFiles(dir, V2_FILES);
      if (isRoot) {
        fs.writeFileSync(path.join(dir, 'cgroup.controllers'), (h.controllers || []).join(' '));
      } else {
        const parentEnabled = fs.readFileSync(path.join(path.dirname(dir), 'cgroup.subtree_control'), 'utf8').split(/\s+/).filter(Boolean);
        fs.writeFileSync(path.join(dir, 'cgroup.controllers'), parentEnabled.join(' '));
        for (const c of parentEnabled) writeFiles(dir, V2_CONTROLLER_FILES[c] || {});
      }
      return;
    }
    for (const c of h.controllers) writeFiles(dir, V1_FILES[c] || {});
    if (isRoot && h.controllers.includes('cpuset')) writeFiles(dir, { 'cpuset.cpus': '0-3', 'cpuset.mems': '0' });
  }

  /** A stand-in for native().cgroupApply with the kernel's relevant rules. */
  apply(ops) {
    for (const op of ops) {
      if (op.op === 'mkdir') {
        if (fs.existsSync(op.path)) continue;
        fs.mkdirSync(op.path);
        this.populate(this.hierarchyOf(op.path), op.path, false);
      } else if (op.op === 'write') {
        const fd = fs.openSync(op.path, fs.constants.O_WRONLY | fs.constants.O_TRUNC);
        try { fs.writeSync(fd, op.value); } finally { fs.closeSync(fd); }
        if (path.basename(op.path) === 'cgroup.subtree_control') this.enable(op.path, op.value);
      } else if (op.op === 'rmdir') {
        if (!fs.existsSync(op.path)) continue;
        for (const e of fs.readdirSync(op.path, { withFileTypes: true })) {
          if (e.isDirectory()) { const err = new Error(`ENOTEMPTY: ${op.path}`); err.code = 'ENOTEMPTY'; throw err; }
        }
        fs.rmSync(op.path, { recursive: true });
      }
    }
  }

  /** The kernel adds to subtree_control, and the children gain the controller and its files at once. */
  enable(file, value) {
    const dir = path.dirname(file);
    const added = value.split(/\s+/).map((w) => w.replace(/^\+/, '')).filter(Boolean);
    const before = this.enabledSet(dir);
    const names = [...new Set([...before, ...added])];
    fs.writeFileSync(file, names.join(' '));
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const child = path.join(dir, e.name);
      fs.writeFileSync(path.join(child, 'cgroup.controllers'), names.join(' '));
      for (const c of added) {
        for (const [f, v] of Object.entries(V2_CONTROLLER_FILES[c] || {})) {
          if (!fs.existsSync(path.join(child, f))) fs.writeFileSync(path.join(child, f), v);
        }
      }
    }
  }

  enabledSet(dir) {
    return fs.readFileSync(path.join(dir, 'cgroup.subtree_control'), 'utf8').split(/\s+/).filter(Boolean);
  }

  dirs(rel) {
    const dirs = { v1: [] };
    for (const h of this.hierarchies) {
      const d = { version: h.v2 ? 2 : 1, controllers: h.v2 ? [] : [...h.controllers], mountPoint: h.mountPoint, path: path.join(h.mountPoint, rel) };
      if (h.v2) dirs.v2 = d; else dirs.v1.push(d);
    }
    return dirs;
  }

  layout(kind) {
    const v1 = new Map();
    let v2;
    for (const h of this.hierarchies) {
      if (h.v2) v2 = h.mountPoint; else for (const c of h.controllers) v1.set(c, h.mountPoint);
    }
    return {
      kind, v1, v2,
      hierarchies: this.hierarchies.map((h) => ({ version: h.v2 ? 2 : 1, controllers: h.v2 ? [] : [...h.controllers], mountPoint: h.mountPoint, root: '/' })),
    };
  }

  read(p) { return fs.readFileSync(p, 'utf8'); }
  write(p, value) { fs.writeFileSync(p, value); }
  cleanup() { fs.rmSync(this.root, { recursive: true, force: true }); }
}

module.exports = { FakeCgroupfs };
