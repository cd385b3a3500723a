# PID 1 of the VM after switch_root, run by the initramfs's busybox sh.
#
# Mounts the cgroup layout named on the kernel command line
# (tsocivm_layout=v1|v2), runs io/command (written by run.js: a sh script
# that cds into the checkout) as root in a clean environment, writes its
# exit status to io/status and powers off. Output goes to the serial
# console; run.js relays it.
bb=/run/ts-oci-vm/busybox
io=/run/ts-oci-vm/io
for applet in awk cat dirname echo grep ln mkdir mount sync; do
  eval "$applet() { $bb $applet \"\$@\"; }"
done
. /run/ts-oci-vm/guest-cgroups.sh

finish() {
  echo "$1" >"$io/status"
  sync
  $bb poweroff -f
}

layout=
for arg in $(cat /proc/cmdline); do
  case "$arg" in tsocivm_layout=*) layout=${arg#tsocivm_layout=} ;; esac
done
case "$layout" in
  v1) mount_cgroups_v1 || { echo "ts-oci-vm: cannot mount the v1 cgroup hierarchies"; finish boot-failed; } ;;
  v2) mount_cgroups_v2 || { echo "ts-oci-vm: cannot mount cgroup2"; finish boot-failed; } ;;
  *) echo "ts-oci-vm: no tsocivm_layout=v1|v2 on the kernel command line"; finish boot-failed ;;
esac

echo "ts-oci-vm: booted ($layout layout, kernel $($bb uname -r)) in $($bb cut -d' ' -f1 /proc/uptime) s"
# The command's own sh moves itself into the runner cgroup before it execs
# the script, so everything it starts begins there.
$bb env -i \
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
  HOME=/root TERM=dumb FORCE_COLOR=0 TS_OCI_VM_LAYOUT="$layout" \
  TS_OCI_TEST_WORK=/tmp/ts-oci-test-work \
  /bin/sh -c ". /run/ts-oci-vm/guest-cgroups.sh && join_runner_cgroup \$\$ && exec /bin/sh $io/command" \
  </dev/null
status=$?
echo "ts-oci-vm: command exited with status $status"
finish "$status"
