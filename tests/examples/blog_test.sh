#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# relate-blog run twice on a fresh database: the same output each time, no
# duplicate rows, rows a plain sqlite3/psql query reads, and a database that
# SQLAlchemy's own declaration of the same models reads and writes.
#
#   blog_test.sh RELATE_BLOG SQLALCHEMY_SCRIPT sqlite
#   blog_test.sh RELATE_BLOG SQLALCHEMY_SCRIPT postgresql   # needs RELATE_TEST_POSTGRES_URL
set -euo pipefail
blog="$1"
sqlalchemy_script="$2"
backend="$3"
work=$(mktemp -d)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

case "$backend" in
  sqlite)
    url=""  # the example's default: sqlite:///blog.db in the working directory
    query() { sqlite3 blog.db "$1"; }
    sqlalchemy_url="sqlite:///$work/blog.db"
    ;;
  postgresql)
    if [[ -z "${RELATE_TEST_POSTGRES_URL:-}" ]]; then
      if [[ "${CI:-}" == "true" ]]; then echo "RELATE_TEST_POSTGRES_URL is not set (CI=true)" >&2; exit 1; fi
      echo "RELATE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run"; exit 77
    fi
    db="relate_blog_$$_$RANDOM"
    psql "$RELATE_TEST_POSTGRES_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
    url="${RELATE_TEST_POSTGRES_URL%/*}/$db"
    cleanup() {
      rm -rf "$work"
      psql "$RELATE_TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    }
    query() { psql "$url" -At -F '|' -v ON_ERROR_STOP=1 -c "$1"; }
    sqlalchemy_url="$url"
    ;;
  *) echo "usage: $0 BLOG SCRIPT sqlite|postgresql" >&2; exit 2 ;;
esac

run_blog() { if [[ -n "$url" ]]; then "$blog" "$url"; else "$blog"; fi; }

expected=$'First Post\nSecond Post'
for run in 1 2; do
  out=$(run_blog)
  if [[ "$out" != "$expected" ]]; then
    echo "run $run printed:"; echo "$out"; echo "expected:"; echo "$expected"; exit 1
  fi
done

rows=$(query "SELECT u.name, p.title, p.content FROM users u JOIN posts p ON p.user_id = u.id ORDER BY p.id")
expected_rows=$'John Doe|First Post|Hello World!\nJohn Doe|Second Post|Goodbye World!'
[[ "$rows" == "$expected_rows" ]] || { echo "rows in the database:"; echo "$rows"; exit 1; }
[[ $(query "SELECT count(*) FROM users") == 1 ]] || { echo "duplicate users"; exit 1; }
[[ $(query "SELECT count(*) FROM posts") == 2 ]] || { echo "duplicate posts"; exit 1; }

# SQLAlchemy's own declaration of the tutorial's models reads the database
# relate wrote, and what it adds, relate reads back.
/usr/bin/python3 "$sqlalchemy_script" "$sqlalchemy_url"
out=$(run_blog)
[[ "$out" == "$expected" ]] || { echo "after SQLAlchemy wrote: $out"; exit 1; }
[[ $(query "SELECT p.title FROM posts p JOIN users u ON u.id = p.user_id WHERE u.name = 'Jane Roe'") == "Written by SQLAlchemy" ]] ||
  { echo "SQLAlchemy's post is missing"; exit 1; }
echo "blog example on $backend: output, rows and SQLAlchemy interoperability ok"
