# Sourced by guest-run.sh (busybox sh): mounts the cgroups of one layout at
# /sys/fs/cgroup and makes the cgroup the command runs in.
#
#   v2: cgroup2 at /sys/fs/cgroup, every controller the kernel has enabled
#       in the root's subtree_control (as systemd does on a unified host).
#   v1: a tmpfs at /sys/fs/cgroup with one cgroup v1 hierarchy per
#       controller, comounted and symlinked the way systemd does it
#       (cpu,cpuacct and net_cls,net_prio), plus the named name=systemd one.
#
# The command then runs in the cgroup /ts-oci-vm of every hierarchy, not in
# the root, so a relative cgroupsPath is observably relative.
RUNNER_CGROUP=ts-oci-vm

mount_cgroups_v2() {
  mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup || return 1
  for c in $(cat /sys/fs/cgroup/cgroup.controllers); do
    echo "+$c" >/sys/fs/cgroup/cgroup.subtree_control || return 1
  done
  mkdir /sys/fs/cgroup/$RUNNER_CGROUP
}

# Enabled v1 controllers, one per line, from /proc/cgroups.
v1_controllers() {
  awk '!/^#/ && $4 == 1 { print $1 }' /proc/cgroups
}

mount_v1_hierarchy() {
  # $1: directory name, $2: mount options (controllers, or none,name=x)
  mkdir -p "/sys/fs/cgroup/$1"
  mount -t cgroup -o "$2" cgroup "/sys/fs/cgroup/$1" || return 1
  mkdir "/sys/fs/cgroup/$1/$RUNNER_CGROUP"
}

mount_cgroups_v1() {
  mount -t tmpfs -o mode=755,nosuid,nodev,noexec tmpfs /sys/fs/cgroup || return 1
  all=$(v1_controllers)
  has() { echo "$all" | grep -qx "$1"; }
  for c in $all; do
    case "$c" in
      cpu | cpuacct | net_cls | net_prio) ;;
      *) mount_v1_hierarchy "$c" "$c" || return 1 ;;
    esac
  done
  for pair in cpu,cpuacct net_cls,net_prio; do
    first=${pair%,*}
    second=${pair#*,}
    has "$first" && has "$second" || continue
    mount_v1_hierarchy "$pair" "$pair" || return 1
    ln -s "$pair" "/sys/fs/cgroup/$first"
    ln -s "$pair" "/sys/fs/cgroup/$second"
  done
  mount_v1_hierarchy systemd none,name=systemd || return 1
  # A task joins a v1 cpuset cgroup only once its cpus and mems are set.
  if [ -d /sys/fs/cgroup/cpuset ]; then
    cat /sys/fs/cgroup/cpuset/cpuset.cpus >/sys/fs/cgroup/cpuset/$RUNNER_CGROUP/cpuset.cpus
    cat /sys/fs/cgroup/cpuset/cpuset.mems >/sys/fs/cgroup/cpuset/$RUNNER_CGROUP/cpuset.mems
  fi
}

# Moves process $1 into the runner cgroup of every hierarchy.
join_runner_cgroup() {
  for procs in /sys/fs/cgroup/$RUNNER_CGROUP/cgroup.procs /sys/fs/cgroup/*/$RUNNER_CGROUP/cgroup.procs; do
    [ -f "$procs" ] || continue
    [ -L "$(dirname "$(dirname "$procs")")" ] && continue
    echo "$1" >"$procs" || return 1
  done
}
