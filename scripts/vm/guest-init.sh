#!/bin/busybox sh
# /init of the VM's initramfs (busybox sh, PID 1).
#
# Builds the guest's root: this machine's root filesystem, shared read-only
# over virtio 9p (tag hostroot), under an overlay whose upper layer is a
# tmpfs, so anything may write and nothing reaches the host. The results
# share (tag tsocivmio, read-write) is the only way out: it holds the
# command to run and receives its exit status. Then switch_root (not
# chroot: the containers' pivot_root needs a root that is a mount with a
# parent) into that root and run guest-run.sh there.
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
  echo "ts-oci-vm: $*"
  poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

while read -r mod; do
  insmod "/lib/modules/$mod.ko" || fail "insmod $mod failed"
done </lib/modules.list

ninep=trans=virtio,version=9p2000.L,msize=512000
# cache=loose: the host root does not change under a test run, and without
# a page cache every file Node loads is read over 9p again (~10x slower).
mkdir -p /lower /rw /newroot
mount -t 9p -o "$ninep,ro,cache=loose" hostroot /lower || fail "cannot mount the host root (9p tag hostroot)"
mount -t tmpfs -o mode=755 tmpfs /rw || fail "cannot mount the overlay's tmpfs"
mkdir /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
  fail "cannot mount the overlay root"

# A fresh /run (the host's holds its own container state); /tmp stays the
# overlay's, where a checkout under /tmp remains visible.
io=/run/ts-oci-vm/io
mount -t tmpfs -o mode=755 tmpfs /newroot/run || fail "cannot mount /run"
mkdir -p "/newroot$io"
mount -t 9p -o "$ninep,rw" tsocivmio "/newroot$io" || fail "cannot mount the results share (9p tag tsocivmio)"
for fs in proc sys dev; do
  mount --move "/$fs" "/newroot/$fs" || fail "cannot move /$fs"
done
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts -o newinstance,ptmxmode=0666 devpts /newroot/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm

# The systemd layout boots systemd as PID 1 (guest-systemd.sh); the others run guest-run.sh.
case " $(cat /newroot/proc/cmdline) " in
  *" tsocivm_layout=systemd "*)
    . /guest-systemd.sh
    exec switch_root /newroot /lib/systemd/systemd --unit=ts-oci-vm.target --show-status=0
    ;;
esac

# guest-run.sh runs with this busybox, whatever the host has installed.
cp /bin/busybox /guest-run.sh /guest-cgroups.sh /newroot/run/ts-oci-vm/ || fail "cannot copy the guest scripts"
exec switch_root /newroot /run/ts-oci-vm/busybox sh /run/ts-oci-vm/guest-run.sh
