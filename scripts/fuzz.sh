#!/usr/bin/env bash
# Fuzzes ts-oci-init's decoders (native/fuzz/decoder_fuzzer.cc) with
# libFuzzer for FUZZ_SECONDS (default 60) over a seed corpus of real plans
# (scripts/fuzz-seeds.js, from dist/: build first) plus every past crash in
# test/fixtures/fuzz-regressions. A crash fails the run and leaves its input
# in build/fuzz/crash-*: add it to test/fixtures/fuzz-regressions (the unit
# tests replay those through the real helper). Not part of any production
# build: it needs clang (Debian's clang package).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/fuzz
seconds=${FUZZ_SECONDS:-60}
mkdir -p "$out/corpus"

# The production flags (native/sources.json), the sanitizers on top. vptr
# checks need RTTI, which the production flags turn off.
flags=$(node -p "require('./native/sources.json').cxxflags.filter(f => f !== '-O2').join(' ')")
sources=$(node -p "require('./native/sources.json').init.filter(f => !f.endsWith('/main.cc')).join(' ')")
# shellcheck disable=SC2086
clang++ $flags -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize=vptr -fno-sanitize-recover=all \
  -Inative $sources native/fuzz/decoder_fuzzer.cc -o "$out/decoder_fuzzer"

rm -rf "$out/seeds"
node scripts/fuzz-seeds.js "$out/seeds"
# Past crashes and hand-made edge cases first: each must run clean.
mapfile -t regressions < <(find test/fixtures/fuzz-regressions -type f ! -name '*.md' | sort)
"$out/decoder_fuzzer" "${regressions[@]}"
"$out/decoder_fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$out/" "$out/corpus" "$out/seeds" 2>&1 | tail -n 20
exit "${PIPESTATUS[0]}"
