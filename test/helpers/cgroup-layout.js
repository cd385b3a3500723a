'use strict';
// What cgroup layout this machine has, read straight from
// /proc/self/mountinfo and /proc/<pid>/cgroup (independently of
// lib/cgroups, whose answers the tests check against it).
const fs = require('fs');
const path = require('path');

const V1_OPTIONS = new Set(['rw', 'ro', 'xattr', 'noprefix', 'clone_children', 'cpuset_v2_mode', 'none']);

/** Every cgroup hierarchy: { version, mountPoint, root, controllers, key } (key as in /proc/<pid>/cgroup). */
function hierarchies(mountinfo = fs.readFileSync('/proc/self/mountinfo', 'utf8')) {
  const list = [];
  const seen = new Set();
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!right) continue;
    const [fstype, , superOpts] = right.split(' ');
    const [, , , root, mountPoint] = left.split(' ');
    let entry;
    if (fstype === 'cgroup2') entry = { version: 2, mountPoint, root, controllers: [], key: '' };
    else if (fstype === 'cgroup') {
      const controllers = superOpts.split(',').filter((o) => !V1_OPTIONS.has(o) && (!o.includes('=') || o.startsWith('name=')));
      entry = { version: 1, mountPoint, root, controllers, key: [...controllers].sort().join(',') };
    } else continue;
    if (seen.has(entry.key)) continue;
    seen.add(entry.key);
    list.push(entry);
  }
  return list;
}

/** 'v1', 'v2' or 'hybrid'. */
function layoutKind(list = hierarchies()) {
  const v1 = list.some((x) => x.version === 1);
  const v2 = list.some((x) => x.version === 2);
  if (v1 && v2) return 'hybrid';
  if (v2) return 'v2';
  if (v1) return 'v1';
  throw new Error('no cgroup filesystem is mounted');
}

/** /proc/<pid>/cgroup as key → cgroup path, keyed like hierarchies(). */
function procCgroup(pid) {
  const map = new Map();
  for (const line of fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n')) {
    const m = /^\d+:([^:]*):(.*)$/.exec(line);
    map.set(m[1].split(',').filter(Boolean).sort().join(','), m[2]);
  }
  return map;
}

/** The hierarchy holding v1 controller `name`, or the cgroup2 one on a v2 host. */
function hierarchyFor(name, list = hierarchies()) {
  if (layoutKind(list) === 'v2') return list.find((x) => x.version === 2);
  return list.find((x) => x.controllers.includes(name));
}

/**
 * The host directory of cgroup `inner` in every hierarchy: absolute below the
 * mount point, relative below this process's own cgroup there.
 */
function dirsOf(inner, list = hierarchies()) {
  const self = procCgroup('self');
  return list.map((x) => {
    const base = inner.startsWith('/') ? '/' : self.get(x.key);
    const cgroup = path.posix.join(base, inner);
    return { ...x, cgroup, dir: path.posix.join(x.mountPoint, path.posix.relative(x.root, cgroup)) };
  });
}

function readCgroupFile(dir, file) {
  return fs.readFileSync(path.join(dir, file), 'utf8').trim();
}

function procsOf(dir) {
  return readCgroupFile(dir, 'cgroup.procs').split('\n').filter(Boolean).map(Number);
}

/** rmdir of a cgroup directory and everything below it, deepest first; a missing one is fine. */
function removeCgroupDir(dir) {
  if (!fs.existsSync(dir)) return;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeCgroupDir(path.join(dir, e.name));
  fs.rmdirSync(dir);
}

/**
 * A config edit for this layout. None is needed any more: device rules are
 * enforced on every layout (v2: the eBPF device program), so the config's
 * deny-all stays.
 */
function forThisLayout(config) {
  return config;
}

module.exports = { forThisLayout, hierarchies, layoutKind, procCgroup, hierarchyFor, dirsOf, readCgroupFile, procsOf, removeCgroupDir };
