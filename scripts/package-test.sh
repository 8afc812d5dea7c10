#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the Debian packages (cmake/relate_packaging.cmake), checks what each
# one holds and depends on, installs them with dpkg -i, builds the consumer
# project (tests/install/consumer, with CMake and with pkg-config) and the
# third-party driver example (examples/driver) against /usr, runs the
# consumer on SQLite, on PostgreSQL (a throwaway server, with-postgres.sh) and
# through the example driver, then removes the packages again -- also when a
# step fails.
#
#   scripts/package-test.sh        # needs root or sudo (dpkg -i)
#
# Refuses to run if relate packages are already installed: it would replace
# and then remove them.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

sudo_cmd=()
[[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
log() { echo "package-test: $*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

scripts/install-deps.sh --library
# CPack's DEB generator runs dpkg-shlibdeps (dpkg-dev), file and readelf (binutils).
for tool in dpkg-shlibdeps file readelf; do
  command -v "$tool" >/dev/null && continue
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends dpkg-dev file binutils >/dev/null
  break
done

build=build-package
work="$(mktemp -d)"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=/usr \
  -DRELATE_TESTS=OFF -DRELATE_EXAMPLES=OFF -DRELATE_BENCHMARKS=OFF -DRELATE_INSTALL=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
rm -rf "$build/packages"
(cd "$build" && cpack -G DEB >/dev/null)

shopt -s nullglob
debs=("$build"/packages/*.deb)
packages=()
for deb in "${debs[@]}"; do packages+=("$(dpkg-deb -f "$deb" Package)"); done
log "built ${packages[*]}"

# --- what each package is -------------------------------------------------
# Listings are read whole first: grep -q on a pipe would cut dpkg-deb off.
declare -A listing
for deb in "${debs[@]}"; do listing[$(dpkg-deb -f "$deb" Package)]="$(dpkg-deb -c "$deb")"; done
field() { dpkg-deb -f "$build/packages/$1"_*.deb "$2"; }
holds() { grep -q -- "$2" <<<"${listing[$1]}"; }
runtime=$(printf '%s\n' "${packages[@]}" | grep -E '^librelate[0-9]+$') || fail "no librelate<soversion> package"
for p in "$runtime" librelate-dev relate-driver-sqlite relate-driver-postgresql; do
  [[ -n "${listing[$p]:-}" ]] || fail "package $p was not built"
  holds "$p" "/usr/share/doc/$p/copyright" || fail "$p has no copyright file"
  copyright=$(dpkg-deb --fsys-tarfile "$build/packages/$p"_*.deb | tar -xO "./usr/share/doc/$p/copyright")
  grep -q '^License: MIT$' <<<"$copyright" || fail "$p's copyright file does not name the MIT licence"
done
# The soname's link and file are in the runtime package, the development
# symlink is not (CMake's namelink points at the soname link).
soname=$(readlink "$build/lib/librelate.so")
holds "$runtime" "/$soname -> " || fail "$runtime does not hold $soname"
holds "$runtime" 'librelate\.so ->' && fail "$runtime holds the development symlink librelate.so"
holds librelate-dev '/include/relate/engine.hpp' || fail "librelate-dev has no headers"
holds librelate-dev '/cmake/relate/relateConfig.cmake' || fail "librelate-dev has no CMake package"
holds librelate-dev '/pkgconfig/relate.pc' || fail "librelate-dev has no relate.pc"
# Each driver depends on its own database client library only.
[[ "$(field relate-driver-sqlite Depends)" == *libsqlite3-0* ]] || fail "relate-driver-sqlite does not depend on libsqlite3-0"
[[ "$(field relate-driver-postgresql Depends)" == *libpq5* ]] || fail "relate-driver-postgresql does not depend on libpq5"
for p in "$runtime" relate-driver-sqlite; do
  [[ "$(field "$p" Depends)" != *libpq* ]] || fail "$p depends on libpq"
done
for p in "$runtime" relate-driver-postgresql; do
  [[ "$(field "$p" Depends)" != *sqlite* ]] || fail "$p depends on SQLite"
done
for p in relate-driver-sqlite relate-driver-postgresql librelate-dev; do
  [[ "$(field "$p" Depends)" == *"$runtime (= "* ]] || fail "$p does not depend on exactly this $runtime"
done

# --- installed ------------------------------------------------------------
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" &&
    fail "$p is already installed; remove it first (dpkg --purge $p)"
done
remove_packages() {
  log "removing ${packages[*]}"
  "${sudo_cmd[@]}" dpkg --purge "${packages[@]}" >/dev/null || true
  rm -rf "$work"
}
trap remove_packages EXIT
"${sudo_cmd[@]}" dpkg -i "${debs[@]}" >/dev/null

# The consumer and the example driver, built against /usr alone.
cmake -S tests/install/consumer -B "$work/consumer" -G Ninja >/dev/null
cmake --build "$work/consumer" >/dev/null
mkdir -p "$work/pkg-config" && cp tests/install/consumer/main.cpp "$work/pkg-config/"
tests/install/pkg-config-build.sh "$work/pkg-config"
cmake -S examples/driver -B "$work/driver" -G Ninja >/dev/null
cmake --build "$work/driver" >/dev/null

# Runs the consumer on URL; its row must come back, and librelate and every
# plugin it mapped must be the installed ones under /usr/lib.
run_consumer() {
  local url="$1" out
  out=$(env -u RELATE_PLUGIN_PATH "$work/consumer/my_app" "$url") || fail "the consumer failed on $url: $out"
  echo "$out" | sed 's/^/  /' >&2
  grep -q '^row 1 installed$' <<<"$out" || fail "the consumer did not read its row back on $url"
  grep -E '^(core|plugin): ' <<<"$out" | grep -vq ': /usr/lib/' &&
    fail "the consumer loaded a library from outside /usr/lib on $url"
  grep -q '^plugin: ' <<<"$out" || fail "the consumer mapped no plugin on $url"
}
log "consumer on SQLite"
run_consumer "sqlite:///$work/consumer.db"
log "consumer built with pkg-config, on SQLite"
out=$("$work/pkg-config/my_app" "sqlite:///$work/pkg-config.db") || fail "the pkg-config consumer failed: $out"
grep -q '^row 1 installed$' <<<"$out" || fail "the pkg-config consumer did not read its row back"
log "consumer on PostgreSQL"
export -f run_consumer fail log
work="$work" scripts/with-postgres.sh bash -c 'run_consumer "$RELATE_TEST_POSTGRES_URL"'
log "consumer through the example driver (logging://, wrapping the installed SQLite driver)"
out=$(RELATE_PLUGIN_PATH="$work/driver" "$work/consumer/my_app" "logging:///$work/logged.db" 2>&1) ||
  fail "the consumer failed through the logging driver: $out"
grep -q 'logging driver: CREATE TEMPORARY TABLE notes' <<<"$out" || fail "the logging driver did not log: $out"
grep -q '^row 1 installed$' <<<"$out" || fail "no row back through the logging driver: $out"

trap - EXIT
remove_packages
for p in "${packages[@]}"; do
  dpkg-query -W "$p" >/dev/null 2>&1 && fail "$p is still known to dpkg after --purge"
done
[[ ! -e /usr/include/relate ]] || fail "/usr/include/relate is still there after removing the packages"
log "passed: ${packages[*]} built, installed, used on SQLite and PostgreSQL, removed"
