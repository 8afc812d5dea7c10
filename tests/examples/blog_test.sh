#!/usr/bin/env bash
# relate-blog on a fresh SQLite file, twice: the same output each time, no
# duplicate rows, and a database that plain sqlite3 and SQLAlchemy read.
set -euo pipefail
blog="$1"
sqlalchemy_script="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

expected=$'First Post\nSecond Post'
for run in 1 2; do
  out=$("$blog")
  if [[ "$out" != "$expected" ]]; then
    echo "run $run printed:"; echo "$out"; echo "expected:"; echo "$expected"; exit 1
  fi
done

rows=$(sqlite3 blog.db "SELECT u.name, p.title, p.content FROM users u JOIN posts p ON p.user_id = u.id ORDER BY p.id")
expected_rows=$'John Doe|First Post|Hello World!\nJohn Doe|Second Post|Goodbye World!'
[[ "$rows" == "$expected_rows" ]] || { echo "rows in blog.db:"; echo "$rows"; exit 1; }
[[ $(sqlite3 blog.db "SELECT count(*) FROM users") == 1 ]] || { echo "duplicate users"; exit 1; }

# SQLAlchemy's own declaration of the tutorial's models reads the database
# relate wrote, and what it adds, relate reads back.
/usr/bin/python3 "$sqlalchemy_script" blog.db
out=$("$blog" "sqlite:///$work/blog.db")
[[ "$out" == "$expected" ]] || { echo "after SQLAlchemy wrote: $out"; exit 1; }
sqlite3 blog.db "SELECT title FROM posts WHERE id = 3" | grep -qx "Written by SQLAlchemy"
echo "blog example: output, rows and SQLAlchemy interoperability ok"
