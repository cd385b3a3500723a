#!/usr/bin/env bash
# Usage: build-initramfs.sh KERNEL_DIR OUT
#
# Writes OUT, a gzipped cpio (newc) initramfs: the static busybox of
# busybox-static, the kernel's modules from KERNEL_DIR (see fetch-kernel.sh)
# and the guest scripts, with guest-init.sh as /init. It is small and quick
# to make, so it is made for every run and never goes stale.
set -euo pipefail

kernel=${1:?usage: build-initramfs.sh KERNEL_DIR OUT}
out=${2:?usage: build-initramfs.sh KERNEL_DIR OUT}
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox
if [ ! -x "$busybox" ] || [[ "$(ldd "$busybox" 2>&1)" != *"not a dynamic"* ]]; then
  echo "build-initramfs: $busybox is not static (install busybox-static)" >&2
  exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp"/{bin,dev,proc,sys,lib/modules}
cp "$busybox" "$tmp/bin/busybox"
cp "$here/guest-init.sh" "$tmp/init"
cp "$here/guest-run.sh" "$here/guest-cgroups.sh" "$here/guest-systemd.sh" "$tmp/"
chmod 755 "$tmp/init"
cp "$kernel"/modules/*.ko "$tmp/lib/modules/"
cp "$kernel/modules.list" "$tmp/lib/modules.list"
(cd "$tmp" && find . | sort | "$busybox" cpio -o -H newc -R 0:0 2>/dev/null) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
