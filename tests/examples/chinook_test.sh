#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# relate-chinook on the Chinook sample: its report equals the same report
# computed by plain SQL in sqlite3, and the number of statements it runs is
# the same on a database with a fraction of the rows.
#
#   chinook_test.sh RELATE_CHINOOK CHINOOK_SQLITE_SQL
set -euo pipefail
chinook="$1"
script="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

"$chinook" sqlite:///full.db --load "$script" > report.txt

# The report, computed by SQL alone.
{
  echo "== Artists (the first 5 by name), their albums and tracks =="
  sqlite3 full.db "SELECT ArtistId, Name FROM Artist a WHERE EXISTS (SELECT 1 FROM Album b WHERE b.ArtistId = a.ArtistId)
                   ORDER BY Name LIMIT 5" |
    while IFS='|' read -r id name; do
      echo "$name"
      sqlite3 full.db "SELECT '  ' || al.Title || ': ' || count(t.TrackId) || ' tracks, ' ||
                         printf('%d:%02d', sum(t.Milliseconds) / 1000 / 60, (sum(t.Milliseconds) / 1000) % 60)
                       FROM Album al LEFT JOIN Track t ON t.AlbumId = al.AlbumId
                       WHERE al.ArtistId = $id GROUP BY al.AlbumId ORDER BY al.AlbumId"
    done
  echo "== Employees =="
  sqlite3 full.db "WITH RECURSIVE tree(id, depth, path) AS (
                     SELECT EmployeeId, 0, LastName || ' ' || FirstName FROM Employee WHERE ReportsTo IS NULL
                     UNION ALL
                     SELECT e.EmployeeId, t.depth + 1, t.path || '/' || e.LastName || ' ' || e.FirstName
                     FROM Employee e JOIN tree t ON e.ReportsTo = t.id)
                   SELECT substr('                ', 1, 2 * depth) || FirstName || ' ' || LastName || ' (' ||
                          coalesce(Title, 'no title') || ')'
                   FROM tree JOIN Employee ON EmployeeId = id ORDER BY path"
  echo "== Playlists =="
  sqlite3 full.db "SELECT coalesce(p.Name, '(no name)') || ': ' || count(pt.TrackId) || ' tracks' ||
                     coalesce(', first ' || (SELECT t.Name FROM PlaylistTrack x JOIN Track t ON t.TrackId = x.TrackId
                                             WHERE x.PlaylistId = p.PlaylistId ORDER BY t.TrackId LIMIT 1), '')
                   FROM Playlist p LEFT JOIN PlaylistTrack pt ON pt.PlaylistId = p.PlaylistId
                   GROUP BY p.PlaylistId ORDER BY p.PlaylistId"
} > expected.txt

if ! diff -u expected.txt <(grep -v '^SQL statements:' report.txt); then
  echo "relate-chinook's report differs from the SQL computation above"; exit 1
fi

# A third of the tracks and playlist entries: the same number of statements.
cp full.db small.db
sqlite3 small.db "DELETE FROM PlaylistTrack WHERE TrackId % 3 <> 0; DELETE FROM InvoiceLine WHERE TrackId % 3 <> 0;
                  DELETE FROM Track WHERE TrackId % 3 <> 0;"
"$chinook" sqlite:///small.db > small.txt
full_count=$(sed -n 's/^SQL statements: //p' report.txt)
small_count=$(sed -n 's/^SQL statements: //p' small.txt)
[[ -n "$full_count" && "$full_count" == "$small_count" ]] ||
  { echo "statements: $full_count on the full sample, $small_count on a third of it"; exit 1; }
[[ "$full_count" -eq 7 ]] || { echo "expected 7 statements (3 + 2 + 2 select-in), got $full_count"; exit 1; }
cmp -s report.txt small.txt && { echo "the smaller database gave the same report: the data did not change?"; exit 1; }
echo "chinook example: report matches SQL, $full_count statements on both sizes"
