#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The main job, from a fresh Debian machine: installs what the library needs,
# builds the library, the driver plugins and the blog example (examples/blog)
# -- not the tests, fuzzers or benchmarks, which scripts/test.sh builds -- and
# runs the example on an embedded SQLite file.
#   scripts/quickstart.sh [URL]      # default: sqlite:///blog.db in the current folder
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

"$root/scripts/install-deps.sh" --library
# A unity build, as scripts/test.sh configures the same build/ (half the
# compile time; see there).
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=ON \
  -DRELATE_TESTS=OFF -DRELATE_BENCHMARKS=OFF -DRELATE_EXAMPLES=ON >/dev/null
# relate-blog depends on the driver plugins it loads at run time.
cmake --build "$root/build" -j "$(nproc)" --target relate-blog

exec "$root/build/bin/relate-blog" "$@"
