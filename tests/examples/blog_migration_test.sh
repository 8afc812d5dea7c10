#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's "Changing the schema" workflow, on a database made by the first
# version of the blog example: the second version refuses it until it is
# migrated; check fails; the tool autogenerates the same script as the one in
# examples/blog/migrations; upgrade --sql prints SQL and changes nothing;
# upgrade migrates, keeping the posts (which get a creation time); running it
# again is a no-op; check passes; the second version and SQLAlchemy's
# declaration of the same models read and write the migrated database;
# downgrade takes it back to what the first version reads.
#
#   blog_migration_test.sh BLOG BLOG_V2 MIGRATE MIGRATIONS_DIR SQLALCHEMY_V2_SCRIPT sqlite|postgresql
set -euo pipefail
blog="$1"
blog_v2="$2"
migrate="$3"
migrations="$4"
sqlalchemy_script="$5"
backend="$6"
work=$(mktemp -d)
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
cd "$work"

case "$backend" in
  sqlite)
    url="sqlite:///$work/blog.db"
    query() { sqlite3 blog.db "$1"; }
    ;;
  postgresql)
    if [[ -z "${RELATE_TEST_POSTGRES_URL:-}" ]]; then
      if [[ "${CI:-}" == "true" ]]; then echo "RELATE_TEST_POSTGRES_URL is not set (CI=true)" >&2; exit 1; fi
      echo "RELATE_TEST_POSTGRES_URL is not set: skipping the PostgreSQL run"; exit 77
    fi
    db="relate_blog_mig_$$_$RANDOM"
    psql "$RELATE_TEST_POSTGRES_URL" -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $db" >/dev/null
    url="${RELATE_TEST_POSTGRES_URL%/*}/$db"
    cleanup() {
      rm -rf "$work"
      psql "$RELATE_TEST_POSTGRES_URL" -q -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    }
    query() { psql "$url" -At -F '|' -v ON_ERROR_STOP=1 -c "$1"; }
    ;;
  *) echo "usage: $0 BLOG BLOG_V2 MIGRATE MIGRATIONS_DIR SCRIPT sqlite|postgresql" >&2; exit 2 ;;
esac
fail() { echo "FAIL: $*" >&2; exit 1; }
expected=$'First Post\nSecond Post'

# Version 1 makes the database.
[[ $("$blog" "$url") == "$expected" ]] || fail "the first version's output"

# Version 2 refuses it, naming the differences.
if "$blog_v2" "$url" > out.txt 2> err.txt; then fail "version 2 ran on an unmigrated database"; fi
grep -q 'posts: column "created_at" is missing from the database' err.txt || { cat err.txt; fail "no drift report"; }

tool() { "$migrate" --url "$url" --dir "$migrations" "$@"; }
if tool check > check.txt; then fail "check passed on an unmigrated database"; fi
grep -q 'index "ix_posts_title" (title) is missing from the database' check.txt || { cat check.txt; fail "check's report"; }

# Autogenerate writes the script that is checked in (same operations).
"$migrate" --url "$url" --dir generated revision --autogenerate -m "posts get a creation time and a title index" > revision.txt
grep -q 'cannot be told apart' revision.txt || fail "autogenerate does not warn about renames"
sections() { sed -n '/^upgrade:/,$p' "$1"; }
[[ "$(sections generated/*.migration)" == "$(sections "$migrations"/*.migration)" ]] ||
  { diff <(sections generated/*.migration) <(sections "$migrations"/*.migration) || true; fail "the generated script differs from the checked-in one"; }

# Offline mode prints SQL and runs none of it.
tool upgrade --sql > upgrade.sql
grep -q 'created_at' upgrade.sql || fail "upgrade --sql printed no SQL for created_at"
[[ $(tool current) == "base" ]] || fail "upgrade --sql changed the version"

tool upgrade | grep -q '^upgraded to ' || fail "upgrade"
tool upgrade | grep -q '^nothing to do' || fail "a second upgrade was not a no-op"
tool check > /dev/null || fail "check after the upgrade"
[[ $(tool current) == *"(head)" ]] || fail "current after the upgrade"

# The posts are still there, each with a creation time.
[[ $(query "SELECT count(*) FROM posts WHERE created_at IS NOT NULL") == 2 ]] || fail "the posts or their created_at"
[[ $("$blog_v2" "$url") == "$expected" ]] || fail "version 2 on the migrated database"

# SQLAlchemy's declaration of the second models reads and writes it.
sqlalchemy_url="$url"
/usr/bin/python3 "$sqlalchemy_script" "$sqlalchemy_url"
[[ $("$blog_v2" "$url") == "$expected" ]] || fail "version 2 after SQLAlchemy wrote"
[[ $(query "SELECT count(*) FROM posts") == 3 ]] || fail "SQLAlchemy's post"

# Downgrade: the first version's schema again, with every post.
tool downgrade base | grep -q '^downgraded from ' || fail "downgrade"
[[ $("$blog" "$url") == "$expected" ]] || fail "the first version after the downgrade"
[[ $(query "SELECT count(*) FROM posts") == 3 ]] || fail "posts lost by the downgrade"
echo "blog migration on $backend: refused, checked, generated, migrated, read by SQLAlchemy, downgraded"
