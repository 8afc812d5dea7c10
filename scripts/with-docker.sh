#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs COMMAND with a reachable Docker engine.
#
#   scripts/with-docker.sh docker info
#
# If `docker info` already reaches an engine (DOCKER_HOST, or the default
# socket), the command just runs against it.  Otherwise, as root, this script
# starts a private dockerd of its own -- data root, exec root, socket and pid
# file in a temporary folder, so it shares nothing with any other engine on the
# machine -- exports DOCKER_HOST, runs the command, and always stops that
# daemon (by its pid) and deletes the folder, whether the command passed,
# failed or was interrupted.  The exit status is the command's.
#
# The private daemon listens only on its Unix socket, makes no default bridge
# (compose makes its own network) and would publish ports on 127.0.0.1 only.
# Debian's docker.io is installed if dockerd is missing (no systemd is needed:
# the daemon is started by hand).
#   RELATE_DOCKER_DATA_ROOT=DIR   keep the private daemon's images in DIR
#                                 between runs (default: a fresh folder)
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
log() { echo "with-docker: $*" >&2; }

if command -v docker >/dev/null && docker info >/dev/null 2>&1; then
  exec "$@"
fi

if [[ $(id -u) -ne 0 ]]; then
  log "no Docker engine is reachable (docker info failed) and only root can start one;"
  log "start your engine (or set DOCKER_HOST), or run this script as root"
  exit 1
fi
if ! command -v dockerd >/dev/null; then
  log "installing docker.io"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # --no-install-recommends: no apparmor, git, ... ; the engine needs none of them.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >/dev/null
fi

work_dir=$(mktemp -d /tmp/relate-docker.XXXXXX)
data_root="${RELATE_DOCKER_DATA_ROOT:-$work_dir/root}"
pid_file="$work_dir/dockerd.pid"
daemon_log="$work_dir/dockerd.log"
daemon_pid=""

# shellcheck disable=SC2317  # reached through the trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$daemon_pid" ]] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill "$daemon_pid"
    # dockerd stops its containers first (10 s each at most), then exits.
    for _ in $(seq 1 60); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$daemon_pid" 2>/dev/null || true
  fi
  # dockerd leaves its network namespace mounted in the exec root (and a
  # daemon killed hard, its overlays): unmount what is left, deepest first.
  { grep -o " $work_dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r mount_point; do
    umount -l "$mount_point" || true
  done
  rm -rf --one-file-system "$work_dir"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export DOCKER_HOST="unix://$work_dir/docker.sock"
dockerd --pidfile "$pid_file" --data-root "$data_root" --exec-root "$work_dir/exec" -H "$DOCKER_HOST" \
  --bridge=none --ip=127.0.0.1 >"$daemon_log" 2>&1 &
daemon_pid=$!
for _ in $(seq 1 60); do
  docker info >/dev/null 2>&1 && break
  if ! kill -0 "$daemon_pid" 2>/dev/null; then break; fi
  sleep 1
done
if ! docker info >/dev/null 2>&1; then
  log "dockerd did not start; its log:"
  cat "$daemon_log" >&2
  exit 1
fi
log "private Docker engine running (socket $work_dir/docker.sock, data in $data_root)"

set +e
"$@"
status=$?
set -e
exit "$status"
