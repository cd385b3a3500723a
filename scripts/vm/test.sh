#!/usr/bin/env bash
# npm run test:vm: the mocha suites of test/vm/ in a pure cgroup v2 VM, then
# in a pure cgroup v1 VM (see run.js), then test/vm-systemd/ in a v2 VM whose
# PID 1 is systemd (the "systemd" layout, when no test files are given). Each VM may run 15 minutes: under
# TCG the suites take 2-5.
# Both layouts always run (or those in
# TS_OCI_VM_LAYOUTS, e.g. "v2"); the status is non-zero if either failed.
# Arguments (test files) replace the config's spec list: a file given with
# --config would run every file.
set -uo pipefail
cd "$(dirname "$0")/../.."
if [ $# -gt 0 ]; then
  mocha_args=(--timeout 120000 --no-color "$@")
else
  mocha_args=(--config .mocharc.vm.json)
fi
status=0
default_layouts="v2 v1 systemd"
[ $# -eq 0 ] || default_layouts="v2 v1"
for layout in ${TS_OCI_VM_LAYOUTS:-$default_layouts}; do
  echo "== VM suites, cgroup $layout"
  args=("${mocha_args[@]}")
  [ "$layout" != systemd ] || [ $# -gt 0 ] || args=(--config .mocharc.vm-systemd.json)
  node scripts/vm/run.js --layout "$layout" --timeout "${TS_OCI_VM_TIMEOUT:-900}" -- \
    node node_modules/mocha/bin/mocha.js "${args[@]}" || status=1
done
exit "$status"
