#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a test binary's PostgreSQL cases through PgBouncer in transaction mode
# (RELATE_TEST_PGBOUNCER_URL, set by scripts/with-postgres.sh) with prepared
# statements off, each test in a database of its own.  Without the URL: skipped
# (exit 77), or a failure under CI=true.
set -euo pipefail
if [[ -z "${RELATE_TEST_PGBOUNCER_URL:-}" ]]; then
  if [[ "${CI:-}" == "true" && "${RELATE_TEST_EXTRA_SERVERS:-}" != "none" ]]; then
    echo "CI=true but RELATE_TEST_PGBOUNCER_URL is not set: the PgBouncer runs must happen in CI" >&2
    exit 1
  fi
  echo "skipped: RELATE_TEST_PGBOUNCER_URL is not set (run through scripts/with-postgres.sh)"
  exit 77
fi
export RELATE_TEST_POSTGRES_URL="${RELATE_TEST_PGBOUNCER_URL}?prepared_statements=false"
export RELATE_TEST_POSTGRES_SCRATCH=database
exec "$1" --gtest_filter='*/postgresql' --gtest_brief=1
