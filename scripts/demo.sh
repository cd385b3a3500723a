#!/usr/bin/env bash
# One command on a fresh Debian machine (as root): install what is missing,
# build what is not built, make the example bundle's rootfs, and run a
# container from it. With current prebuilds (prebuilds/linux-x64, as in the
# npm package) nothing is compiled and no compiler is needed; without them
# the toolchain node-gyp needs is installed first.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

native_built() {
  [ -f build/Release/ts_oci.node ] && [ -x build/Release/ts-oci-init ] && return 0
  node scripts/check-prebuilds.js 2>/dev/null
}

need=()
if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then need+=(busybox-static); fi
compile=no
if ! native_built; then
  compile=yes
  # node-gyp: python3, make and a C++ compiler; the static helper links libc.a (libc6-dev).
  for tool in g++ make python3; do
    command -v "$tool" >/dev/null 2>&1 || need+=("$tool")
  done
  [ -f /usr/lib/x86_64-linux-gnu/libc.a ] || need+=(libc6-dev)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "demo: installing ${need[*]}" >&2
  apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
fi

# npm ci runs this package's install script: node-gyp-build takes the
# prebuilds when they are there, else compiles with the toolchain above.
[ -d node_modules ] || npm ci --no-audit --no-fund
if [ "$compile" = yes ]; then
  [ -f build/Release/ts_oci.node ] && [ -x build/Release/ts-oci-init ] || npm run build:native
fi
[ -f dist/index.js ] && [ -f dist/spec/config-validator.js ] || npm run build:ts
[ -x examples/busybox/rootfs/bin/busybox ] || node scripts/make-rootfs.js examples/busybox/rootfs
exec bin/ts-oci run --bundle examples/busybox "demo-$$"
