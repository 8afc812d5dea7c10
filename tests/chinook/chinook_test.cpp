// SPDX-License-Identifier: MIT
// Real data moved between backends: the Chinook sample is loaded into SQLite
// from its own script, the same schema is created on PostgreSQL from relate's
// mapping (create_all), every row is copied through relate sessions, and the
// same questions (joins, group by, sums, the many-to-many playlists, the
// employee hierarchy) must get the same answers on both, equal to the known
// answers in tests/data/chinook/README.md.  A second test loads the
// PostgreSQL script itself and reads it with a snake_case mapping.
#include "models.hpp"

#include <backends.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace chinook_test {
namespace {

using relate::col;

std::string read_data_file(const std::string& name) {
  const std::string path = std::string(RELATE_TEST_DATA_DIR) + "/chinook/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::int64_t cents(double amount) { return std::llround(amount * 100.0); }

/// The answers to every question the test asks, so one comparison checks
/// that both backends agree, and each field is then checked against the README.
struct answers {
  std::vector<std::int64_t> row_counts;  // in the order of table_names
  std::int64_t invoice_total_cents{};
  std::int64_t invoice_line_total_cents{};
  std::string artist_1;
  std::int64_t artist_1_albums{};
  std::int64_t artists_without_album{};
  std::int64_t album_1_tracks{};
  std::vector<std::int64_t> empty_playlists;
  std::int64_t playlist_1_tracks{};
  std::vector<std::pair<std::int64_t, std::int64_t>> customers_per_rep;
  std::vector<std::int64_t> reports_of_1, reports_of_2, reports_of_6;
  std::int64_t tracks_without_composer{};
  std::int64_t max_track_bytes{};
  std::int64_t jobim_artists{};
  std::string playlist_5;
  std::string customer_54_city;
  std::int64_t edinburgh_invoices{};
  relate::timestamp first_invoice{}, last_invoice{};
  std::vector<std::string> top_genres;  // by invoiced cents, then name

  bool operator==(const answers&) const = default;
};

const std::vector<std::string> table_names = {"Artist",    "Album",    "Track",         "Genre",
                                              "MediaType", "Playlist", "PlaylistTrack", "Employee",
                                              "Customer",  "Invoice",  "InvoiceLine"};

std::vector<std::int64_t> ids_of(const std::vector<relate::ptr<Employee>>& es) {
  std::vector<std::int64_t> ids;
  for (const auto& e : es) ids.push_back(e->id);
  return ids;
}

/// Asks every question through relate on one engine: ORM queries where the
/// ORM says it directly, raw SQL (identical text on both backends: quoted
/// identifiers, no parameters) for aggregates and grouping.
answers ask(relate::engine& engine) {
  answers a;
  relate::session s(engine);
  a.row_counts = {
      s.query<Artist>().count(),        s.query<Album>().count(),      s.query<Track>().count(),
      s.query<Genre>().count(),         s.query<MediaType>().count(),  s.query<Playlist>().count(),
      s.query<PlaylistTrack>().count(), s.query<Employee>().count(),   s.query<Customer>().count(),
      s.query<Invoice>().count(),       s.query<InvoiceLine>().count()};

  auto& conn = s.get_connection();
  auto scalar_double = [&](const char* sql) { return conn.execute(sql).scalar<double>().value_or(-1.0); };
  auto scalar_int = [&](const char* sql) { return conn.execute(sql).scalar<std::int64_t>().value_or(-1); };
  a.invoice_total_cents = cents(scalar_double(R"(SELECT SUM("Total") FROM "Invoice")"));
  a.invoice_line_total_cents =
      cents(scalar_double(R"(SELECT SUM("UnitPrice" * "Quantity") FROM "InvoiceLine")"));

  auto artist_1 = s.query<Artist>().filter_by(&Artist::id, 1).first();
  a.artist_1 = artist_1 && artist_1->name ? *artist_1->name : "";
  a.artist_1_albums = s.query<Album>().filter(col(&Album::artist_id) == 1).count();
  a.artists_without_album =
      scalar_int(R"(SELECT count(*) FROM "Artist" ar LEFT JOIN "Album" al ON al."ArtistId" = ar."ArtistId" )"
                 R"(WHERE al."AlbumId" IS NULL)");
  a.album_1_tracks = s.query<Track>().filter(col(&Track::album_id) == 1).count();

  for (const auto& r :
       conn.execute(R"(SELECT p."PlaylistId" FROM "Playlist" p WHERE NOT EXISTS )"
                    R"((SELECT 1 FROM "PlaylistTrack" pt WHERE pt."PlaylistId" = p."PlaylistId") )"
                    R"(ORDER BY p."PlaylistId")"))
    a.empty_playlists.push_back(r.get<std::int64_t>(0));
  // Many-to-many: the tracks of playlist 1, through PlaylistTrack.
  a.playlist_1_tracks = s.query<Track>()
                            .join<PlaylistTrack>(col(&PlaylistTrack::track_id) == col(&Track::id))
                            .filter(col(&PlaylistTrack::playlist_id) == 1)
                            .count();

  for (const auto& r : conn.execute(R"(SELECT "SupportRepId", count(*) FROM "Customer" )"
                                    R"(GROUP BY "SupportRepId" ORDER BY "SupportRepId")"))
    a.customers_per_rep.emplace_back(r.get<std::int64_t>(0), r.get<std::int64_t>(1));

  // Self-referential: direct reports.
  a.reports_of_1 =
      ids_of(s.query<Employee>().filter(col(&Employee::reports_to) == 1).order_by(&Employee::id).all());
  a.reports_of_2 =
      ids_of(s.query<Employee>().filter(col(&Employee::reports_to) == 2).order_by(&Employee::id).all());
  a.reports_of_6 =
      ids_of(s.query<Employee>().filter(col(&Employee::reports_to) == 6).order_by(&Employee::id).all());

  a.tracks_without_composer = s.query<Track>().filter(col(&Track::composer).is_null()).count();
  a.max_track_bytes = scalar_int(R"(SELECT MAX("Bytes") FROM "Track")");
  a.jobim_artists = s.query<Artist>().filter_by(&Artist::name, std::string("Antônio Carlos Jobim")).count();
  auto playlist_5 = s.query<Playlist>().filter_by(&Playlist::id, 5).first();
  a.playlist_5 = playlist_5 && playlist_5->name ? *playlist_5->name : "";
  auto customer_54 = s.query<Customer>().filter_by(&Customer::id, 54).first();
  a.customer_54_city = customer_54 && customer_54->city ? *customer_54->city : "";
  a.edinburgh_invoices =
      s.query<Invoice>().filter_by(&Invoice::billing_city, std::string("Edinburgh ")).count();
  auto first = s.query<Invoice>().order_by(&Invoice::invoice_date, &Invoice::id).first();
  auto last = s.query<Invoice>().order_by(relate::desc(&Invoice::invoice_date), &Invoice::id).first();
  if (first) a.first_invoice = first->invoice_date;
  if (last) a.last_invoice = last->invoice_date;

  // A three-table join with group by and order by on an aggregate.
  for (const auto& r : conn.execute(R"(SELECT g."Name", SUM(il."UnitPrice" * il."Quantity") AS amount )"
                                    R"(FROM "InvoiceLine" il JOIN "Track" t ON t."TrackId" = il."TrackId" )"
                                    R"(JOIN "Genre" g ON g."GenreId" = t."GenreId" )"
                                    R"(GROUP BY g."Name" ORDER BY amount DESC, g."Name" LIMIT 3)"))
    a.top_genres.push_back(r.get<std::string>(0) + " " + std::to_string(cents(r.get<double>(1))));
  return a;
}

/// Every row of T on both engines, in key order, must be equal member by
/// member (text byte for byte, doubles bit for bit, timestamps exactly).
template <class T, class M>
void expect_same_rows(relate::engine& a, relate::engine& b, M T::*order, const char* table) {
  relate::session sa(a);
  relate::session sb(b);
  const auto ra = sa.query<T>().order_by(order).all();
  const auto rb = sb.query<T>().order_by(order).all();
  ASSERT_EQ(ra.size(), rb.size()) << table;
  std::size_t different = 0;
  for (std::size_t i = 0; i < ra.size(); ++i)
    if (!(*ra[i] == *rb[i])) ++different;
  EXPECT_EQ(different, 0u) << table << ": rows that differ after the copy";
}

/// Copies every row of T from one session to the other, in batches of
/// `batch` objects per flush; returns the number of rows copied.
template <class T, class M>
std::size_t copy_rows(relate::session& from, relate::session& to, M T::*order) {
  constexpr std::size_t batch = 500;
  const auto rows = from.query<T>().order_by(order).all();
  std::vector<T> pending;
  pending.reserve(batch);
  for (const auto& p : rows) {
    pending.push_back(*p);
    if (pending.size() == batch) {
      to.add_all(std::move(pending));
      to.flush();
      pending.clear();
    }
  }
  if (!pending.empty()) {
    to.add_all(std::move(pending));
    to.flush();
  }
  // The copies are not needed any more: keep the identity maps small.
  from.expunge_all();
  to.expunge_all();
  return rows.size();
}

TEST(chinook_postgresql, copied_from_sqlite_gives_the_same_answers) {
  if (relate::testing::require_postgres().empty()) return;

  // 1. Chinook_Sqlite.sql into a temporary SQLite file, through one execute().
  relate::testing::scratch_database lite("sqlite");
  {
    auto conn = lite.engine().connect();
    conn.execute(read_data_file("Chinook_Sqlite.sql"));
    conn.commit();
  }

  // 2. The same schema on PostgreSQL, from the mapping.
  relate::testing::scratch_database pg("postgresql");
  relate::metadata meta;
  meta.add<Artist, Album, Track, Genre, MediaType, Playlist, PlaylistTrack, Employee, Customer, Invoice,
           InvoiceLine>();
  meta.create_all(pg.engine());

  // 3. Every row, parents before children, in one PostgreSQL transaction.
  {
    relate::session from(lite.engine());
    relate::session to(pg.engine());
    std::size_t copied = 0;
    copied += copy_rows(from, to, &Artist::id);
    copied += copy_rows(from, to, &Album::id);
    copied += copy_rows(from, to, &Genre::id);
    copied += copy_rows(from, to, &MediaType::id);
    copied += copy_rows(from, to, &Track::id);
    copied += copy_rows(from, to, &Playlist::id);
    copied += copy_rows(from, to, &PlaylistTrack::playlist_id);
    // Managers first: ReportsTo points at a smaller EmployeeId in Chinook.
    copied += copy_rows(from, to, &Employee::id);
    copied += copy_rows(from, to, &Customer::id);
    copied += copy_rows(from, to, &Invoice::id);
    copied += copy_rows(from, to, &InvoiceLine::id);
    EXPECT_EQ(copied, 15607u);

    // The keys are identity columns given explicit values: move each
    // sequence past the copied ids so the next insert gets a fresh one.
    auto& conn = to.get_connection();
    for (const auto& name : table_names) {
      if (name == "PlaylistTrack") continue;
      const std::string key = name + "Id";
      conn.execute("SELECT setval(pg_get_serial_sequence('\"" + name + "\"', '" + key + "'), (SELECT MAX(\"" +
                   key + "\") FROM \"" + name + "\"))");
    }
    to.commit();
  }

  // The copy is exact: every row of every table, member by member.
  expect_same_rows(lite.engine(), pg.engine(), &Artist::id, "Artist");
  expect_same_rows(lite.engine(), pg.engine(), &Album::id, "Album");
  expect_same_rows(lite.engine(), pg.engine(), &Genre::id, "Genre");
  expect_same_rows(lite.engine(), pg.engine(), &MediaType::id, "MediaType");
  expect_same_rows(lite.engine(), pg.engine(), &Track::id, "Track");
  expect_same_rows(lite.engine(), pg.engine(), &Playlist::id, "Playlist");
  expect_same_rows(lite.engine(), pg.engine(), &Employee::id, "Employee");
  expect_same_rows(lite.engine(), pg.engine(), &Customer::id, "Customer");
  expect_same_rows(lite.engine(), pg.engine(), &Invoice::id, "Invoice");
  expect_same_rows(lite.engine(), pg.engine(), &InvoiceLine::id, "InvoiceLine");
  {
    // The composite key orders by both columns (the ORM order_by takes several).
    relate::session sa(lite.engine());
    relate::session sb(pg.engine());
    const auto ra =
        sa.query<PlaylistTrack>().order_by(&PlaylistTrack::playlist_id, &PlaylistTrack::track_id).all();
    const auto rb =
        sb.query<PlaylistTrack>().order_by(&PlaylistTrack::playlist_id, &PlaylistTrack::track_id).all();
    ASSERT_EQ(ra.size(), rb.size());
    for (std::size_t i = 0; i < ra.size(); ++i) ASSERT_TRUE(*ra[i] == *rb[i]) << "PlaylistTrack row " << i;
  }

  // create_all made the 11 foreign keys of the mapping, and PostgreSQL enforces them.
  {
    auto conn = pg.engine().connect();
    EXPECT_EQ(conn.execute("SELECT count(*) FROM information_schema.table_constraints "
                           "WHERE constraint_type = 'FOREIGN KEY' AND table_schema = current_schema()")
                  .scalar<std::int64_t>(),
              11);
    relate::session s(pg.engine());
    s.add(InvoiceLine{.id = 100000, .invoice_id = 1, .track_id = 999999, .unit_price = 0.99, .quantity = 1});
    EXPECT_THROW(s.flush(), relate::integrity_error) << "TrackId 999999 does not exist";
  }

  // 4. Same answers on both, and the known ones.
  const answers on_sqlite = ask(lite.engine());
  const answers on_postgres = ask(pg.engine());
  EXPECT_TRUE(on_sqlite == on_postgres) << "the two backends disagree";

  for (const auto* a : {&on_sqlite, &on_postgres}) {
    SCOPED_TRACE(a == &on_sqlite ? "sqlite" : "postgresql");
    EXPECT_EQ(a->row_counts, (std::vector<std::int64_t>{275, 347, 3503, 25, 5, 18, 8715, 8, 59, 412, 2240}));
    std::int64_t total = 0;
    for (auto n : a->row_counts) total += n;
    EXPECT_EQ(total, 15607);
    EXPECT_EQ(a->invoice_total_cents, 232860);
    EXPECT_EQ(a->invoice_line_total_cents, 232860);
    EXPECT_EQ(a->artist_1, "AC/DC");
    EXPECT_EQ(a->artist_1_albums, 2);
    EXPECT_EQ(a->artists_without_album, 71);
    EXPECT_EQ(a->album_1_tracks, 10);
    EXPECT_EQ(a->empty_playlists, (std::vector<std::int64_t>{2, 4, 6, 7}));
    EXPECT_EQ(a->playlist_1_tracks, 3290);
    EXPECT_EQ(a->customers_per_rep,
              (std::vector<std::pair<std::int64_t, std::int64_t>>{{3, 21}, {4, 20}, {5, 18}}));
    EXPECT_EQ(a->reports_of_1, (std::vector<std::int64_t>{2, 6}));
    EXPECT_EQ(a->reports_of_2, (std::vector<std::int64_t>{3, 4, 5}));
    EXPECT_EQ(a->reports_of_6, (std::vector<std::int64_t>{7, 8}));
    EXPECT_EQ(a->tracks_without_composer, 977);
    EXPECT_EQ(a->max_track_bytes, 1059546140);
    EXPECT_EQ(a->jobim_artists, 1);
    EXPECT_EQ(a->playlist_5, "90\u2019s Music");
    // relate copies values exactly: the trailing space the PostgreSQL script loses is kept.
    EXPECT_EQ(a->customer_54_city, "Edinburgh ");
    EXPECT_EQ(a->edinburgh_invoices, 7);
    using namespace std::chrono;
    EXPECT_EQ(a->first_invoice, relate::timestamp(sys_days(year(2021) / 1 / 1)));
    EXPECT_EQ(a->last_invoice, relate::timestamp(sys_days(year(2025) / 12 / 22)));
    EXPECT_EQ(a->top_genres.size(), 3u);
  }

  // 5. A new row on PostgreSQL gets a fresh id from the resynchronised sequence.
  relate::session s(pg.engine());
  auto added = s.add(Artist{.name = std::string("New Artist")});
  s.flush();
  EXPECT_EQ(added->id, 276);
  auto album = s.add(Album{.title = "New Album", .artist_id = added->id});
  s.commit();
  EXPECT_EQ(album->id, 348);
  relate::session check(pg.engine());
  EXPECT_EQ(check.query<Album>().filter(col(&Album::artist_id) == 276).count(), 1);
}

/// Chinook_PostgreSql.sql without its psql-only prologue (DROP/CREATE
/// DATABASE and the \c meta-command): everything after the `\c chinook;` line.
std::string postgres_script_body() {
  const std::string script = read_data_file("Chinook_PostgreSql.sql");
  const std::string marker = "\\c chinook;";
  const auto at = script.find(marker);
  if (at == std::string::npos) throw std::runtime_error("Chinook_PostgreSql.sql: no \\c line");
  const auto eol = script.find('\n', at);
  return eol == std::string::npos ? std::string() : script.substr(eol + 1);
}

TEST(chinook_postgresql, reads_the_schema_of_the_postgresql_script) {
  if (relate::testing::require_postgres().empty()) return;
  relate::testing::scratch_database pg("postgresql");
  {
    auto conn = pg.engine().connect();
    conn.execute(postgres_script_body());  // into the scratch schema (search_path)
    conn.commit();
  }

  relate::session s(pg.engine());
  EXPECT_EQ(s.query<pg::artist>().count(), 275);
  EXPECT_EQ(s.query<pg::album>().count(), 347);
  EXPECT_EQ(s.query<pg::track>().count(), 3503);
  EXPECT_EQ(s.query<pg::playlist_track>().count(), 8715);

  auto acdc = s.query<pg::artist>().filter_by(&pg::artist::artist_id, 1).first();
  ASSERT_TRUE(acdc);
  EXPECT_EQ(acdc->name, std::optional<std::string>("AC/DC"));
  EXPECT_EQ(s.query<pg::album>().filter(col(&pg::album::artist_id) == 1).count(), 2);
  EXPECT_EQ(s.query<pg::track>().filter(col(&pg::track::album_id) == 1).count(), 10);
  EXPECT_EQ(s.query<pg::track>().filter(col(&pg::track::composer).is_null()).count(), 977);
  EXPECT_EQ(s.query<pg::artist>().filter_by(&pg::artist::name, std::string("Antônio Carlos Jobim")).count(),
            1);

  // Many-to-many through playlist_track.
  EXPECT_EQ(s.query<pg::track>()
                .join<pg::playlist_track>(col(&pg::playlist_track::track_id) == col(&pg::track::track_id))
                .filter(col(&pg::playlist_track::playlist_id) == 1)
                .count(),
            3290);

  // Self-referential hierarchy, and a timestamp the script wrote as '2002/8/14'.
  auto reports = s.query<pg::employee>()
                     .filter(col(&pg::employee::reports_to) == 2)
                     .order_by(&pg::employee::employee_id)
                     .all();
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_EQ(reports[0]->employee_id, 3);
  EXPECT_EQ(reports[2]->employee_id, 5);
  auto boss = s.query<pg::employee>().filter(col(&pg::employee::reports_to).is_null()).all();
  ASSERT_EQ(boss.size(), 1u);
  EXPECT_EQ(boss[0]->first_name, "Andrew");
  using namespace std::chrono;
  EXPECT_EQ(boss[0]->hire_date, relate::timestamp(sys_days(year(2002) / 8 / 14)));

  // NUMERIC(10,2) read into a double.
  auto track_1 = s.query<pg::track>().filter_by(&pg::track::track_id, 1).first();
  ASSERT_TRUE(track_1);
  EXPECT_EQ(cents(track_1->unit_price), 99);
}

}  // namespace
}  // namespace chinook_test
