#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# relate-blog against a primary and a streaming standby (made by
# scripts/postgres-failover.sh, found through RELATE_TEST_FAILOVER_SCRIPT):
# the same output as on one server, the rows written on the primary, and the
# reads served by the standby (its count of scans of the blog's tables grows).
#
#   blog_replica_test.sh RELATE_BLOG
set -euo pipefail
blog="$1"
script="${RELATE_TEST_FAILOVER_SCRIPT:-}"
if [[ -z "$script" ]]; then
  if [[ "${CI:-}" == "true" ]]; then echo "RELATE_TEST_FAILOVER_SCRIPT is not set (CI=true)" >&2; exit 1; fi
  echo "RELATE_TEST_FAILOVER_SCRIPT is not set: skipping (run through scripts/with-postgres.sh)"; exit 77
fi
read -r dir primary standby < <("$script" start 1)
trap '"$script" stop "$dir"' EXIT
at() { echo "postgresql://postgres@127.0.0.1:$1/postgres"; }
# Sequential scans of the blog's tables on a server: every read of the
# example adds some (the tables have no index on what it looks up).
scans() { psql "$(at "$1")" -At -c "SELECT coalesce(sum(seq_scan), 0) FROM pg_stat_user_tables WHERE relname IN ('users', 'posts')"; }

expected=$'First Post\nSecond Post'
for run in 1 2; do
  before=$(scans "$standby" 2>/dev/null || echo 0)
  out=$("$blog" "$(at "$primary")" "$(at "$standby")")
  [[ "$out" == "$expected" ]] || { echo "run $run printed:"; echo "$out"; exit 1; }
  # A backend's statistics reach the views when it exits, just after the client does.
  for _ in $(seq 1 40); do
    after=$(scans "$standby")
    (( after > before )) && break
    sleep 0.1
  done
  (( after > before )) || { echo "run $run: the standby served no read ($before -> $after scans)"; exit 1; }
done
rows=$(psql "$(at "$primary")" -At -c "SELECT count(*) FROM posts")
[[ "$rows" == 2 ]] || { echo "the primary holds $rows posts, expected 2"; exit 1; }
echo "relate-blog with a replica: OK"
