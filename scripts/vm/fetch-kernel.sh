#!/usr/bin/env bash
# Usage: fetch-kernel.sh SERIES   (e.g. 6.12 or 6.1)
#
# Makes sure a Debian kernel of SERIES is in the VM cache and prints its
# directory: vmlinuz, modules/*.ko (decompressed, so busybox insmod loads
# them) and modules.list (load order, dependencies first). A kernel already
# in the cache is used as it is: no apt call, no network.
#
# The package is Debian's plain linux-image-<version>-amd64 (signed; not
# cloud, rt, dbg, unsigned or a meta-package), the newest of the series.
set -euo pipefail

series=${1:?usage: fetch-kernel.sh SERIES}
cache=${TS_OCI_VM_CACHE:-/var/cache/ts-oci-vm}
here=$(cd "$(dirname "$0")" && pwd)
# What the guest's /init loads: 9p for the host root and the results share,
# overlay for the writable root view, virtio-pci to see the 9p devices.
# Whatever is built into the kernel is skipped; dependencies are added.
wanted=(virtio_pci 9pnet_virtio 9p overlay)

cached() {
  local dir
  for dir in $(ls -d "$cache"/"$series".* 2>/dev/null | sort -V -r); do
    if [ -f "$dir/complete" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if dir=$(cached); then echo "$dir"; exit 0; fi

escaped=${series//./\\.}
pattern="^linux-image-${escaped}\\.[0-9][^ ]*-amd64\$"
newest() {
  apt-cache search --names-only "^linux-image-${escaped}\\." 2>/dev/null | awk '{print $1}' \
    | grep -E "$pattern" | grep -v -E -- '-(cloud|rt)-amd64$' | sort -V | tail -1
}
download() {
  (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$1" >&2)
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Stale lists may miss the series or name a package the mirror dropped:
# then update once and look again.
pkg=$(newest || true)
if [ -z "$pkg" ] || ! download "$pkg"; then
  apt-get update -qq >&2
  pkg=$(newest || true)
  if [ -z "$pkg" ]; then
    echo "fetch-kernel: no linux-image-${series}.*-amd64 package in apt's lists" >&2
    exit 1
  fi
  download "$pkg"
fi
version=${pkg#linux-image-}
dpkg-deb -x "$tmp"/*.deb "$tmp/x"

# Assembled beside the cache entry and renamed into place, so a concurrent
# run never sees half of it.
final="$cache/$version"
out="$tmp/kernel"
mkdir -p "$out/modules" "$cache"
cp "$tmp/x/boot/vmlinuz-$version" "$out/vmlinuz"
moddir="$tmp/x/lib/modules/$version"
cp "$moddir/modules.builtin" "$out/"
bash "$here/module-deps.sh" "$moddir" "${wanted[@]}" >"$tmp/modules.found"
while read -r name file; do
  case "$file" in
    *.ko.xz) xz -dc "$moddir/$file" >"$out/modules/$name.ko" ;;
    *.ko.zst) zstd -qdc "$moddir/$file" >"$out/modules/$name.ko" ;;
    *.ko) cp "$moddir/$file" "$out/modules/$name.ko" ;;
  esac
  echo "$name"
done <"$tmp/modules.found" >"$out/modules.list"
touch "$out/complete"
staged="$cache/.$version.$$"
rm -rf "$staged"
cp -a "$out" "$staged"
[ -f "$final/complete" ] || rm -rf "$final"
mv -T "$staged" "$final" 2>/dev/null || rm -rf "$staged"
[ -f "$final/complete" ] || { echo "fetch-kernel: $final is incomplete" >&2; exit 1; }
echo "$final"
