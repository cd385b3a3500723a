# Sourced by guest-init.sh (the initramfs's busybox sh) for the systemd
# layout: systemd itself is PID 1 of the guest, from the root the VMs share
# (the host's systemd and dbus packages). The units written here, into the
# overlay's /etc, make the boot target one oneshot service that runs
# io/command as root once the system bus is up, writes its status to
# io/status and powers off; nothing else of the host's configuration is
# started (no default.target: DefaultDependencies=no up to dbus).
# The host may be a container (/.dockerenv): systemd would take the guest
# for one too, and a container's systemd ignores the kernel command line.
rm -f /newroot/.dockerenv /newroot/run/.containerenv
units=/newroot/etc/systemd/system
mkdir -p "$units/dbus.service.d" "$units/dbus.socket.d" || fail "cannot write the systemd units"
for unit in dbus.service dbus.socket; do
  printf '[Unit]\nDefaultDependencies=no\n' >"$units/$unit.d/ts-oci-vm.conf"
done
cat >"$units/ts-oci-vm.target" <<'UNIT'
[Unit]
Description=ts-oci VM: the test command under systemd
DefaultDependencies=no
Requires=ts-oci-vm-command.service
After=ts-oci-vm-command.service
UNIT
cat >"$units/ts-oci-vm-command.service" <<'UNIT'
[Unit]
Description=ts-oci VM: io/command
DefaultDependencies=no
Requires=dbus.socket dbus.service
After=dbus.socket dbus.service
SuccessAction=poweroff-force
FailureAction=poweroff-force

[Service]
Type=oneshot
StandardInput=null
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
TTYReset=no
TTYVHangup=no
Environment=PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb FORCE_COLOR=0 TS_OCI_VM_LAYOUT=systemd TS_OCI_TEST_WORK=/tmp/ts-oci-test-work
ExecStart=/bin/sh -c 'echo "ts-oci-vm: booted (systemd layout, kernel $(uname -r), $(systemctl --version | head -n1)) in $(cut -d" " -f1 /proc/uptime) s"; /bin/sh /run/ts-oci-vm/io/command; s=$?; echo "ts-oci-vm: command exited with status $s"; echo $s >/run/ts-oci-vm/io/status; sync'
UNIT
