'use strict';
// crun refuses this hybrid layout while the hugetlb controller sits on
// cgroup2. Mounting a v1 hugetlb hierarchy lets it run; it is the one
// change to the host's cgroup mounts we allow, and ts-oci works either way.
const fs = require('fs');
const { execFileSync } = require('child_process');

function prepareHugetlbForCrun() {
  const mountinfo = fs.readFileSync('/proc/self/mountinfo', 'utf8');
  const hybrid = / \/sys\/fs\/cgroup\/unified .* - cgroup2 /.test(mountinfo);
  const hasHugetlb = /\/sys\/fs\/cgroup\/hugetlb .* - cgroup .*hugetlb/.test(mountinfo);
  if (!hybrid || hasHugetlb) return;
  const controllers = fs.readFileSync('/proc/cgroups', 'utf8');
  if (!/^hugetlb\s/m.test(controllers)) return;
  fs.mkdirSync('/sys/fs/cgroup/hugetlb', { recursive: true });
  execFileSync('mount', ['-t', 'cgroup', '-o', 'hugetlb', 'cgroup', '/sys/fs/cgroup/hugetlb']);
  mountedByUs = true;
}

let mountedByUs = false;

/**
 * Undoes prepareHugetlbForCrun: left mounted, the host would suddenly apply
 * hugepageLimits, and tests that expect this host to refuse them would fail.
 */
function restoreHugetlb() {
  if (!mountedByUs) return;
  mountedByUs = false;
  execFileSync('umount', ['/sys/fs/cgroup/hugetlb']);
  fs.rmdirSync('/sys/fs/cgroup/hugetlb');
}

module.exports = { prepareHugetlbForCrun, restoreHugetlb };
