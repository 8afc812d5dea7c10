#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The whole test suite in containers: relate built in the `tests` image and
# run there against the `postgres` and `pgbouncer` services of
# docker/compose.yaml.  CI runs this; so can anyone with Docker (as root where
# no engine is running).
#
#   scripts/docker-test.sh
#   scripts/docker-test.sh --images-only    # steps 1 and 2, and the tests image's
#                                          # dependency layer; nothing runs
#
# --images-only lets CI make the images while the host build runs: with
# RELATE_DOCKER_DATA_ROOT set to one folder for both calls (a private engine
# keeps its images there), the second call finds them made.
# RELATE_TEST_EXCLUDE_LABEL is handed to scripts/test.sh in the container (CI
# leaves out label compile there: the host run just checked it on this build).
#
# 1. An engine: the reachable one, else a private dockerd (scripts/with-docker.sh).
# 2. Images: the official debian:12.8 and postgres:15.10-bookworm when they are
#    present or can be pulled; otherwise local ones -- a Debian base made from
#    Debian's archive (scripts/docker-base-image.sh) and docker/postgres built
#    on it -- named to compose through RELATE_BASE_IMAGE / RELATE_POSTGRES_IMAGE.
#    Set either variable to use an image of your own.
# 3. The build: when build/ is a scripts/test.sh build made on Debian bookworm
#    (the images' release) -- as in CI, where the plain job has just made it --
#    it is brought up to date here and the tests image takes it as it is
#    instead of building the same tree a second time: the context is then a
#    hard-linked copy of the tree with build/ in it, placed in the image at
#    this same absolute path, because a CMake build tree names its paths.
#    Otherwise, or with --rebuild, the image builds relate itself, as
#    `docker compose up --build` does.
# 4. `compose -f docker/compose.yaml up --build --exit-code-from tests`, then
#    `down --volumes`.  Fails when a test fails, when one did not run (every
#    PostgreSQL case must run against the service), or when an image does
#    not build (its output is then above the message).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "docker-test: $*" >&2; }

rebuild=0
images_only=0
for arg in "$@"; do
  case "$arg" in
    --rebuild) rebuild=1 ;;
    --images-only) images_only=1 ;;
    *) echo "usage: $0 [--rebuild|--images-only]" >&2; exit 2 ;;
  esac
done

if [[ -z "${RELATE_IN_DOCKER_ENGINE:-}" ]]; then
  # Re-entered under an engine; the variable stops a second wrapping.
  RELATE_IN_DOCKER_ENGINE=1 exec scripts/with-docker.sh scripts/docker-test.sh "$@"
fi

# Compose v2 (`docker compose`) where installed, else v1 (`docker-compose`,
# Debian's package, installed if missing): the same file and arguments.
if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
else
  if ! command -v docker-compose >/dev/null; then
    if [[ $(id -u) -ne 0 ]]; then
      log "neither \`docker compose\` nor \`docker-compose\` is installed"
      exit 1
    fi
    log "installing docker-compose"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  fi
  compose=(docker-compose)
fi

work_dir=$(mktemp -d)
compose_file=docker/compose.yaml
# The tests image's context when build/ is handed over (step 3); inside the
# checkout, since hard links cannot cross filesystems.
context_dir="$PWD/.docker-context"
# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  "${compose[@]}" -f "$compose_file" down --volumes --remove-orphans >/dev/null 2>&1 || true
  rm -rf "$work_dir" "$context_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# True if IMAGE is here or can be pulled (no registry: fails within a second).
have_image() { docker image inspect "$1" >/dev/null 2>&1 || docker pull -q "$1" >/dev/null 2>&1; }

if [[ -z "${RELATE_BASE_IMAGE:-}" ]] && ! have_image debian:12.8; then
  export RELATE_BASE_IMAGE=relate-debian:bookworm
  if docker image inspect "$RELATE_BASE_IMAGE" >/dev/null 2>&1; then
    log "debian:12.8 cannot be pulled; using $RELATE_BASE_IMAGE, made earlier"
  else
    log "debian:12.8 cannot be pulled; making $RELATE_BASE_IMAGE from Debian's archive"
    scripts/docker-base-image.sh "$RELATE_BASE_IMAGE"
  fi
fi
if [[ -z "${RELATE_POSTGRES_IMAGE:-}" ]] && ! have_image postgres:15.10-bookworm; then
  export RELATE_POSTGRES_IMAGE=relate-postgres:15
  log "postgres:15.10-bookworm cannot be pulled; building $RELATE_POSTGRES_IMAGE (docker/postgres)"
  # --network host: apt-get inside the build needs a way out.
  if ! docker build --network host --build-arg RELATE_BASE_IMAGE="${RELATE_BASE_IMAGE:-debian:12.8}" \
    -t "$RELATE_POSTGRES_IMAGE" docker/postgres >"$work_dir/postgres-build.log" 2>&1; then
    log "docker/postgres did not build; the end of the build log:"
    tail -n 40 "$work_dir/postgres-build.log" >&2
    exit 1
  fi
fi

log "base and PostgreSQL images ready after ${SECONDS} s"

if [[ $images_only -eq 1 ]]; then
  # The tests image's first layers (docker/Dockerfile up to its source
  # folder: the packages), built alone from the same instructions, so that the
  # full build finds them in the layer cache.
  mkdir -p "$work_dir/deps/scripts"
  cp scripts/install-deps.sh "$work_dir/deps/scripts/"
  sed '/^ARG RELATE_SOURCE_DIR/,$d' docker/Dockerfile >"$work_dir/deps/Dockerfile"
  if ! docker build --network host --build-arg RELATE_BASE_IMAGE="${RELATE_BASE_IMAGE:-debian:12.8}" \
    -t relate-tests-deps "$work_dir/deps" >"$work_dir/deps-build.log" 2>&1; then
    log "the tests image's dependency layer did not build; the end of the build log:"
    tail -n 40 "$work_dir/deps-build.log" >&2
    exit 1
  fi
  log "images ready after ${SECONDS} s (--images-only: nothing run)"
  exit 0
fi

# Why build/ cannot be handed over, or nothing when it can (step 3).
prebuilt_refusal() {
  local codename="" cache=build/CMakeCache.txt
  [[ $rebuild -eq 1 ]] && { echo "--rebuild"; return; }
  [[ -f $cache ]] || { echo "no build/ (scripts/test.sh makes it)"; return; }
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  [[ $codename == bookworm ]] || { echo "this host is not Debian bookworm, the images' release"; return; }
  case "${RELATE_BASE_IMAGE:-debian:12.8}" in
    debian:12.8 | relate-debian:bookworm) ;;
    *) echo "RELATE_BASE_IMAGE is an image of your own"; return ;;
  esac
  grep -qx 'RELATE_TESTS:BOOL=ON' "$cache" && grep -qx 'RELATE_SANITIZE:STRING=' "$cache" &&
    grep -qx 'CMAKE_BUILD_TYPE:STRING=RelWithDebInfo' "$cache" ||
    { echo "build/ is not configured as scripts/test.sh configures it"; return; }
  # Brought up to date here, as scripts/test.sh would (a no-op right after it;
  # `ninja -n` cannot tell, since the globbed source lists are re-checked).
  cmake --build build -j "$(nproc)" >"$work_dir/host-build.log" 2>&1 ||
    { echo "build/ does not build here (see scripts/test.sh)"; return; }
}
refusal=$(prebuilt_refusal)
if [[ -z $refusal ]]; then
  log "the tests image takes build/ as it is (made on this bookworm host); --rebuild builds in the image"
  rm -rf "$context_dir"
  mkdir "$context_dir"
  # Hard links: the copy is instant and takes no space.  Everything but VCS
  # data and the other build trees; the ignore files are replaced (not
  # edited: they are links to the originals) by ones that keep build/.
  find . -mindepth 1 -maxdepth 1 ! -name .git ! -name .docker-context ! -name 'build?*' \
    -exec cp -al {} "$context_dir/" \;
  rm -f "$context_dir/.dockerignore" "$context_dir/docker/Dockerfile.dockerignore"
  printf '%s\n' 'out/' '.cache/' '*.db' '*.db-journal' >"$context_dir/.dockerignore"
  cp "$context_dir/.dockerignore" "$context_dir/docker/Dockerfile.dockerignore"
  export RELATE_DOCKER_CONTEXT="$context_dir" RELATE_SOURCE_DIR="$PWD" RELATE_PREBUILT=1
else
  log "the tests image builds relate itself: $refusal"
fi
log "running: ${compose[*]} -f $compose_file up --build --exit-code-from tests"
set +e
"${compose[@]}" -f "$compose_file" up --build --exit-code-from tests 2>&1 | tee "$work_dir/up.log"
status=${PIPESTATUS[0]}
set -e
if [[ $status -ne 0 ]]; then
  # One `up --build` builds the image and runs it, so that the image is built
  # once even if the tree changes meanwhile; its log says which step failed.
  if grep -q "Attaching to" "$work_dir/up.log"; then
    log "the suite failed in the tests container (exit status $status)"
  else
    log "the tests image did not build or the services did not start: see the output above"
  fi
  exit "$status"
fi
# ctest counts a skipped test as passed.  Every PostgreSQL test (their names
# say postgres, pgbouncer or failover) must have run here: that is what this
# container run is for.  Others may skip for a stated reason the host run does
# not have (a case that does not apply to SQLite, or one that needs root,
# which this unprivileged container is not); they are listed.
skipped=$(grep -A 400 "The following tests did not run" "$work_dir/up.log" |
  grep -E "\((Skipped|Disabled|Not Run)\)" || true)
if [[ -n "$skipped" ]]; then
  log "tests that did not run in the container (they run in the host job):"
  echo "$skipped" >&2
  if grep -qE "postgres|pgbouncer|failover" <<<"$skipped"; then
    log "PostgreSQL tests did not run in the container: all must, against the postgres and pgbouncer services"
    exit 1
  fi
fi
if ! grep -q "100% tests passed" "$work_dir/up.log"; then
  log "the tests container exited without ctest's summary; see its output above"
  exit 1
fi
log "the whole suite passed in the tests container against the postgres and pgbouncer containers (${SECONDS} s in all)"
