#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds relate and runs its whole test suite: unit tests, the plugin loader,
# the conformance suite on SQLite and on a real PostgreSQL (a throwaway server
# started by scripts/with-postgres.sh unless RELATE_TEST_POSTGRES_URL is set),
# and the install/consumer test.
#
#   scripts/test.sh                          # RelWithDebInfo build in build/
#   scripts/test.sh --sanitize=address,undefined   # ASan+UBSan build in build-address-undefined/
#   scripts/test.sh --label=sqlite           # only one CTest label
#   scripts/test.sh --sanitize=thread --label=concurrency
#                                            # ThreadSanitizer build in build-thread/ of only
#                                            # what the concurrency tests need, and those tests
#   scripts/test.sh --build-only             # only the build (docker/Dockerfile bakes it into its image)
#
# RELATE_TEST_EXCLUDE_LABEL=LABEL leaves out the tests of a CTest label (a
# regular expression, as ctest -LE takes it).  Sanitizer builds always leave
# out label compile: the compile-failure cases and the headers-compile-alone
# check run the compiler, not relate, so a sanitizer adds nothing to them and
# the plain build runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=""
label=""
build_dir=build
build_only=0
for arg in "$@"; do
  case "$arg" in
    --sanitize=*) sanitize="${arg#--sanitize=}"; build_dir="build-${sanitize//,/-}" ;;
    --label=*) label="${arg#--label=}" ;;
    --build-only) build_only=1 ;;
    *) echo "usage: $0 [--sanitize=address,undefined|thread] [--label=LABEL] [--build-only]" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh

# The targets a label's tests need (with their dependencies: core, the
# drivers, the test support); a label not listed here builds everything.
# Building only these keeps a sanitizer job for one label short.
declare -A label_targets=(
  [concurrency]="relate_concurrency_tests"
)
build_targets=()
if [[ -n "$label" && -n "${label_targets[$label]:-}" ]]; then
  read -ra build_targets <<<"${label_targets[$label]}"
fi

jobs=$(nproc)
# The options are explicit: scripts/quickstart.sh configures the same build/
# without the tests and benchmarks.
# A unity build (each target's files compiled in batches of 8) takes half the
# time of one compiler process per file: every relate file parses the same
# standard headers, about 10 s of a file's 20.  Measured here: the library's
# objects 471 s -> 229 s of CPU, the ORM and relationship tests' 334 s ->
# 127 s, the whole build 9 minutes.  The Debian package build
# (scripts/package-test.sh) and the FetchContent install test still compile
# the library file by file, so a file that does not include what it uses is
# caught.
configure_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELATE_SANITIZE="$sanitize"
  -DRELATE_TESTS=ON -DRELATE_EXAMPLES=ON -DRELATE_BENCHMARKS=ON -DCMAKE_UNITY_BUILD=ON)
if [[ -n "$sanitize" ]]; then
  # A sanitizer build checks the library's behaviour, not its speed: -O1, as
  # the sanitizers' own documentation advises, and no benchmarks (the plain
  # build runs their smoke tests).  The ASan+UBSan job went from 1030 s to
  # 817 s here (build and suite).
  # -g1: line tables and function names, all a sanitizer's stack trace uses,
  # and much less for the compiler and linker to write than -g's full types.
  configure_args+=(-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG"
    -DRELATE_BENCHMARKS=OFF)
fi
cmake -S . -B "$build_dir" -G Ninja "${configure_args[@]}" >/dev/null
build_args=(--build "$build_dir" -j "$jobs")
[[ ${#build_targets[@]} -gt 0 ]] && build_args+=(--target "${build_targets[@]}")
cmake "${build_args[@]}"
[[ $build_only -eq 1 ]] && exit 0

ctest_args=(--test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 600)
[[ -n "$label" ]] && ctest_args+=(-L "$label")
exclude_label="${RELATE_TEST_EXCLUDE_LABEL:-}"
if [[ -n "$sanitize" ]]; then
  exclude_label="${exclude_label:+$exclude_label|}compile"
fi
[[ -n "$exclude_label" ]] && ctest_args+=(-LE "$exclude_label")
if [[ -n "$sanitize" ]]; then
  # Fail on the first report; leak checking stays on (ASan's default).
  export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  # A reported race fails the test; the suppressions file says why each entry is there.
  export TSAN_OPTIONS="${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan.supp}"
fi
exec scripts/with-postgres.sh ctest "${ctest_args[@]}"
