#!/usr/bin/env bash
# Builds relate and runs its whole test suite: unit tests, the plugin loader,
# the conformance suite on SQLite and on a real PostgreSQL (a throwaway server
# started by scripts/with-postgres.sh unless RELATE_TEST_POSTGRES_URL is set),
# and the install/consumer test.
#
#   scripts/test.sh                          # RelWithDebInfo build in build/
#   scripts/test.sh --sanitize=address,undefined   # ASan+UBSan build in build-asan-ubsan/
#   scripts/test.sh --label sqlite           # only one CTest label
set -euo pipefail
cd "$(dirname "$0")/.."

sanitize=""
label=""
build_dir=build
for arg in "$@"; do
  case "$arg" in
    --sanitize=*) sanitize="${arg#--sanitize=}"; build_dir="build-${sanitize//,/-}" ;;
    --label=*) label="${arg#--label=}" ;;
    *) echo "usage: $0 [--sanitize=address,undefined] [--label=LABEL]" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh

jobs=$(nproc)
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRELATE_SANITIZE="$sanitize" >/dev/null
cmake --build "$build_dir" -j "$jobs"

ctest_args=(--test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 600)
[[ -n "$label" ]] && ctest_args+=(-L "$label")
if [[ -n "$sanitize" ]]; then
  # Fail on the first report; leak checking stays on (ASan's default).
  export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
fi
exec scripts/with-postgres.sh ctest "${ctest_args[@]}"
