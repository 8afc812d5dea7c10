#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages relate needs to build, test and benchmark (the
# PostgreSQL server is installed by with-postgres.sh, which needs it), and
# only those that are missing (so a second run costs nothing).  Needs root, or
# sudo, when something is missing.
#   install-deps.sh            # build, test and benchmark
#   install-deps.sh --library  # only what the library, the drivers and the examples need
#   install-deps.sh --dev      # everything, plus the tools CI uses
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libsqlite3-dev libpq-dev
  libspdlog-dev libfmt-dev
)
if [[ "${1:-}" != "--library" ]]; then
  packages+=(
    sqlite3 libgtest-dev libgmock-dev libbenchmark-dev
    binutils python3-sqlalchemy python3-psycopg2
  )
fi
# Only with --dev: the tools CI uses beyond building and testing.  libFuzzer's
# runtime (libclang-rt-14-dev) is only a recommendation of clang, which
# --no-install-recommends skips; llvm puts llvm-symbolizer on PATH, for
# sanitizer reports with file and line.  doxygen builds the API reference
# (docs/), dpkg-dev's dpkg-shlibdeps the Debian packages' dependencies.
if [[ "${1:-}" == "--dev" ]]; then
  packages+=(clang libclang-rt-14-dev llvm clang-tidy clang-format cppcheck docker-compose doxygen dpkg-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "relate: installing ${missing[*]}" >&2
sudo_cmd=()
[[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
# --no-install-recommends: docker-compose would otherwise pull a whole Docker engine.
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
