#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The official postgres image's start-up, for what relate's tests rely on: on
# a first start (empty PGDATA) make the cluster with POSTGRES_USER (default
# postgres) and POSTGRES_PASSWORD, create POSTGRES_DB (default the user's
# name), accept password logins from any host; then run the command, by
# default `postgres`, listening on all the container's addresses.
set -euo pipefail

if [[ "${1:-}" == -* ]]; then set -- postgres "$@"; fi
if [[ "${1:-}" != postgres ]]; then exec "$@"; fi

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  user="${POSTGRES_USER:-postgres}"
  db="${POSTGRES_DB:-$user}"
  if [[ -z "${POSTGRES_PASSWORD:-}" ]]; then
    echo "docker-entrypoint: POSTGRES_PASSWORD is not set (the official image refuses to start without it too)" >&2
    exit 1
  fi
  # initdb's default authentication is trust for the socket and localhost,
  # as in the official image; other hosts need the password.
  initdb --username="$user" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") -E UTF8 --locale=C.UTF-8 >/dev/null
  printf '\nhost all all all scram-sha-256\n' >>"$PGDATA/pg_hba.conf"
  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  if [[ "$db" != postgres ]]; then
    # Single-user mode: no server to start and stop just for one statement.
    printf 'CREATE DATABASE "%s";\n' "${db//\"/\"\"}" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo "docker-entrypoint: cluster ready (user $user, database $db)"
fi

exec "$@"
