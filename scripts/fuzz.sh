#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets of fuzz/ with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/, then runs each for SECONDS
# (default 60), all at once.
#
#   scripts/fuzz.sh          # 60 s per target
#   scripts/fuzz.sh 600      # longer
#
# Each target starts from its seed corpus (fuzz/corpus/<target>) and the
# saved crash inputs (fuzz/regressions/<target>); what it learns stays in
# build-fuzz/corpus/<target>.  A failure (a crash, a sanitizer report, an
# input the target rejects) stops that target and leaves the input in
# build-fuzz/artifacts/<target>/: fix the bug, and copy the input into
# fuzz/regressions/<target>/ so the normal test suite replays it from then on.
# Exits non-zero if any target failed.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 [SECONDS]" >&2
  exit 2
fi
targets=(fuzz_url fuzz_compiler fuzz_stream)

scripts/install-deps.sh
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is missing (scripts/install-deps.sh --dev installs it)" >&2
  exit 1
fi

# Only what the targets need: core, the SQLite driver (its dialect, and the
# plugin fuzz_stream loads) and SQLite.
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON \
  -DRELATE_FUZZ=ON -DRELATE_SANITIZE=address,undefined -DRELATE_TESTS=OFF -DRELATE_EXAMPLES=OFF \
  -DRELATE_BENCHMARKS=OFF -DRELATE_INSTALL=OFF -DRELATE_DRIVER_POSTGRESQL=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target "${targets[@]}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pids=()
for target in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$target" "build-fuzz/artifacts/$target"
  # The first folder receives new inputs; the others are only read.
  build-fuzz/bin/"$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="build-fuzz/artifacts/$target/" \
    "build-fuzz/corpus/$target" "fuzz/corpus/$target" "fuzz/regressions/$target" \
    >"build-fuzz/$target.log" 2>&1 &
  pids+=($!)
done

status=0
for i in "${!targets[@]}"; do
  target=${targets[$i]}
  if wait "${pids[$i]}"; then
    echo "== $target: no failure in ${seconds} s"
    grep -E "^stat::number_of_executed_units|^#[0-9]+.*DONE" "build-fuzz/$target.log" | tail -2 || true
  else
    status=1
    echo "== $target FAILED; the end of its log (build-fuzz/$target.log):"
    tail -n 60 "build-fuzz/$target.log"
    echo "The input is in build-fuzz/artifacts/$target/; once the bug is fixed, copy it into"
    echo "fuzz/regressions/$target/ so ctest replays it."
  fi
done
exit "$status"
