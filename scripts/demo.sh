#!/usr/bin/env bash
# One command on a fresh machine (as root): install what is missing, build,
# make the example bundle's rootfs, and run a container from it.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq busybox-static >/dev/null
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
[ -f build/Release/ts_oci.node ] && [ -f dist/index.js ] || npm run build:all
[ -x examples/busybox/rootfs/bin/busybox ] || node scripts/make-rootfs.js examples/busybox/rootfs
exec bin/ts-oci run --bundle examples/busybox "demo-$$"
