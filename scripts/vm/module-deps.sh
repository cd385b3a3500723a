#!/usr/bin/env bash
# Usage: module-deps.sh MODDIR NAME...
#
# Prints "name path" (path relative to MODDIR) for each module NAME needs,
# dependencies before dependents, each once; modules built into the kernel
# (MODDIR/modules.builtin) are skipped. A Debian kernel package carries no
# modules.dep (depmod makes it at install), so the dependencies are read
# from each module's own modinfo "depends=" field.
set -euo pipefail

moddir=${1:?usage: module-deps.sh MODDIR NAME...}
shift
declare -A done_=()

canon() { echo "${1//-/_}"; }

builtin() {
  grep -q -E "/$(canon "$1" | sed 's/_/[-_]/g')\\.ko\$" "$moddir/modules.builtin"
}

file_of() {
  local pattern
  pattern=$(canon "$1" | sed 's/_/[-_]/g')
  (cd "$moddir" && find kernel -regextype posix-extended -regex ".*/${pattern}\\.ko(\\.xz|\\.zst)?" | head -1)
}

depends_of() {
  local file=$moddir/$1
  case "$file" in
    *.xz) xz -dc "$file" ;;
    *.zst) zstd -qdc "$file" ;;
    *) cat "$file" ;;
  esac | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}

visit() {
  local name file dep
  name=$(canon "$1")
  [ -n "${done_[$name]:-}" ] && return 0
  done_[$name]=1
  builtin "$name" && return 0
  file=$(file_of "$name")
  if [ -z "$file" ]; then
    echo "module-deps: module $name not found under $moddir" >&2
    exit 1
  fi
  for dep in $(depends_of "$file"); do visit "$dep"; done
  echo "$name $file"
}

for m in "$@"; do visit "$m"; done
