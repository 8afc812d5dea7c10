#!/usr/bin/env bash
# The main job, from a fresh Debian machine: installs what relate needs,
# builds it, and runs the blog example (examples/blog) on an embedded SQLite file.
#   scripts/quickstart.sh [URL]      # default: sqlite:///blog.db in the current folder
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

"$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build" -j "$(nproc)"

exec "$root/build/bin/relate-blog" "$@"
