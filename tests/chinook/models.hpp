// SPDX-License-Identifier: MIT
// The Chinook sample's 11 tables mapped with relate, twice: with the
// PascalCase names of Chinook_Sqlite.sql (the mapping create_all uses to make
// the same schema on PostgreSQL), and with the snake_case names of
// Chinook_PostgreSql.sql for the tables the second test reads (a schema relate
// did not create).  Names are explicit: the two scripts spell every table and
// column differently, and a user mapping an existing database names them.
//
// Money (UnitPrice, Total; NUMERIC(10,2) in both scripts) is a double: SQLite
// stores it as REAL anyway, and the tests compare sums rounded to cents.
// Dates are relate::timestamp (SQLite stores them as 'YYYY-MM-DD HH:MM:SS' text).
// Each struct compares by value, so a test can check a copied row field by field.
#pragma once

#include <relate/relate.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace chinook_test {

using id_t = std::int64_t;
using text = std::optional<std::string>;

struct Artist {
  id_t id{};
  text name{};

  bool operator==(const Artist&) const = default;
};
struct Album {
  id_t id{};
  std::string title{};
  id_t artist_id{};

  bool operator==(const Album&) const = default;
};
struct Genre {
  id_t id{};
  text name{};

  bool operator==(const Genre&) const = default;
};
struct MediaType {
  id_t id{};
  text name{};

  bool operator==(const MediaType&) const = default;
};
struct Playlist {
  id_t id{};
  text name{};

  bool operator==(const Playlist&) const = default;
};
struct Track {
  id_t id{};
  std::string name{};
  std::optional<id_t> album_id{};
  id_t media_type_id{};
  std::optional<id_t> genre_id{};
  text composer{};
  std::int32_t milliseconds{};
  std::optional<std::int32_t> bytes{};
  double unit_price{};

  bool operator==(const Track&) const = default;
};
struct PlaylistTrack {
  id_t playlist_id{};
  id_t track_id{};

  bool operator==(const PlaylistTrack&) const = default;
};
struct Employee {
  id_t id{};
  std::string last_name{};
  std::string first_name{};
  text title{};
  std::optional<id_t> reports_to{};
  std::optional<relate::timestamp> birth_date{};
  std::optional<relate::timestamp> hire_date{};
  text address{}, city{}, state{}, country{}, postal_code{}, phone{}, fax{}, email{};

  bool operator==(const Employee&) const = default;
};
struct Customer {
  id_t id{};
  std::string first_name{};
  std::string last_name{};
  text company{}, address{}, city{}, state{}, country{}, postal_code{}, phone{}, fax{};
  std::string email{};
  std::optional<id_t> support_rep_id{};

  bool operator==(const Customer&) const = default;
};
struct Invoice {
  id_t id{};
  id_t customer_id{};
  relate::timestamp invoice_date{};
  text billing_address{}, billing_city{}, billing_state{}, billing_country{}, billing_postal_code{};
  double total{};

  bool operator==(const Invoice&) const = default;
};
struct InvoiceLine {
  id_t id{};
  id_t invoice_id{};
  id_t track_id{};
  double unit_price{};
  std::int32_t quantity{};

  bool operator==(const InvoiceLine&) const = default;
};

// ---- PascalCase: Chinook_Sqlite.sql ------------------------------------------

inline auto relate_mapping(relate::model<Artist>) {
  using namespace relate::orm;
  return table<Artist>("Artist", column(&Artist::id, "ArtistId", primary_key),
                       column(&Artist::name, "Name", length(120)));
}
inline auto relate_mapping(relate::model<Album>) {
  using namespace relate::orm;
  return table<Album>("Album", column(&Album::id, "AlbumId", primary_key),
                      column(&Album::title, "Title", length(160)),
                      column(&Album::artist_id, "ArtistId", foreign_key(&Artist::id), indexed));
}
inline auto relate_mapping(relate::model<Genre>) {
  using namespace relate::orm;
  return table<Genre>("Genre", column(&Genre::id, "GenreId", primary_key),
                      column(&Genre::name, "Name", length(120)));
}
inline auto relate_mapping(relate::model<MediaType>) {
  using namespace relate::orm;
  return table<MediaType>("MediaType", column(&MediaType::id, "MediaTypeId", primary_key),
                          column(&MediaType::name, "Name", length(120)));
}
inline auto relate_mapping(relate::model<Playlist>) {
  using namespace relate::orm;
  return table<Playlist>("Playlist", column(&Playlist::id, "PlaylistId", primary_key),
                         column(&Playlist::name, "Name", length(120)));
}
inline auto relate_mapping(relate::model<Track>) {
  using namespace relate::orm;
  return table<Track>(
      "Track", column(&Track::id, "TrackId", primary_key), column(&Track::name, "Name", length(200)),
      column(&Track::album_id, "AlbumId", foreign_key(&Album::id), indexed),
      column(&Track::media_type_id, "MediaTypeId", foreign_key(&MediaType::id), indexed),
      column(&Track::genre_id, "GenreId", foreign_key(&Genre::id), indexed),
      column(&Track::composer, "Composer", length(220)), column(&Track::milliseconds, "Milliseconds"),
      column(&Track::bytes, "Bytes"), column(&Track::unit_price, "UnitPrice"));
}
inline auto relate_mapping(relate::model<PlaylistTrack>) {
  using namespace relate::orm;
  return table<PlaylistTrack>("PlaylistTrack",
                              column(&PlaylistTrack::playlist_id, "PlaylistId", foreign_key(&Playlist::id)),
                              column(&PlaylistTrack::track_id, "TrackId", foreign_key(&Track::id), indexed),
                              primary_key_constraint(&PlaylistTrack::playlist_id, &PlaylistTrack::track_id));
}
inline auto relate_mapping(relate::model<Employee>) {
  using namespace relate::orm;
  return table<Employee>(
      "Employee", column(&Employee::id, "EmployeeId", primary_key),
      column(&Employee::last_name, "LastName", length(20)),
      column(&Employee::first_name, "FirstName", length(20)), column(&Employee::title, "Title", length(30)),
      column(&Employee::reports_to, "ReportsTo", foreign_key(&Employee::id), indexed),
      column(&Employee::birth_date, "BirthDate"), column(&Employee::hire_date, "HireDate"),
      column(&Employee::address, "Address", length(70)), column(&Employee::city, "City", length(40)),
      column(&Employee::state, "State", length(40)), column(&Employee::country, "Country", length(40)),
      column(&Employee::postal_code, "PostalCode", length(10)), column(&Employee::phone, "Phone", length(24)),
      column(&Employee::fax, "Fax", length(24)), column(&Employee::email, "Email", length(60)));
}
inline auto relate_mapping(relate::model<Customer>) {
  using namespace relate::orm;
  return table<Customer>(
      "Customer", column(&Customer::id, "CustomerId", primary_key),
      column(&Customer::first_name, "FirstName", length(40)),
      column(&Customer::last_name, "LastName", length(20)), column(&Customer::company, "Company", length(80)),
      column(&Customer::address, "Address", length(70)), column(&Customer::city, "City", length(40)),
      column(&Customer::state, "State", length(40)), column(&Customer::country, "Country", length(40)),
      column(&Customer::postal_code, "PostalCode", length(10)), column(&Customer::phone, "Phone", length(24)),
      column(&Customer::fax, "Fax", length(24)), column(&Customer::email, "Email", length(60)),
      column(&Customer::support_rep_id, "SupportRepId", foreign_key(&Employee::id), indexed));
}
inline auto relate_mapping(relate::model<Invoice>) {
  using namespace relate::orm;
  return table<Invoice>("Invoice", column(&Invoice::id, "InvoiceId", primary_key),
                        column(&Invoice::customer_id, "CustomerId", foreign_key(&Customer::id), indexed),
                        column(&Invoice::invoice_date, "InvoiceDate"),
                        column(&Invoice::billing_address, "BillingAddress", length(70)),
                        column(&Invoice::billing_city, "BillingCity", length(40)),
                        column(&Invoice::billing_state, "BillingState", length(40)),
                        column(&Invoice::billing_country, "BillingCountry", length(40)),
                        column(&Invoice::billing_postal_code, "BillingPostalCode", length(10)),
                        column(&Invoice::total, "Total"));
}
inline auto relate_mapping(relate::model<InvoiceLine>) {
  using namespace relate::orm;
  return table<InvoiceLine>("InvoiceLine", column(&InvoiceLine::id, "InvoiceLineId", primary_key),
                            column(&InvoiceLine::invoice_id, "InvoiceId", foreign_key(&Invoice::id), indexed),
                            column(&InvoiceLine::track_id, "TrackId", foreign_key(&Track::id), indexed),
                            column(&InvoiceLine::unit_price, "UnitPrice"),
                            column(&InvoiceLine::quantity, "Quantity"));
}

// ---- snake_case: Chinook_PostgreSql.sql (the tables the second test reads) ----

namespace pg {

struct artist {
  id_t artist_id{};
  text name{};
};
struct album {
  id_t album_id{};
  std::string title{};
  id_t artist_id{};
};
struct track {
  id_t track_id{};
  std::string name{};
  std::optional<id_t> album_id{};
  text composer{};
  double unit_price{};  // NUMERIC(10,2) in the script, read as a double
};
struct employee {
  id_t employee_id{};
  std::string first_name{};
  std::string last_name{};
  std::optional<id_t> reports_to{};
  std::optional<relate::timestamp> hire_date{};
};
struct playlist_track {
  id_t playlist_id{};
  id_t track_id{};
};

// Keys are not autoincrement: the script made plain INT keys.
inline auto relate_mapping(relate::model<artist>) {
  using namespace relate::orm;
  return table<artist>("artist", column(&artist::artist_id, "artist_id", primary_key, autoincrement(false)),
                       column(&artist::name, "name"));
}
inline auto relate_mapping(relate::model<album>) {
  using namespace relate::orm;
  return table<album>("album", column(&album::album_id, "album_id", primary_key, autoincrement(false)),
                      column(&album::title, "title"),
                      column(&album::artist_id, "artist_id", foreign_key(&artist::artist_id)));
}
inline auto relate_mapping(relate::model<track>) {
  using namespace relate::orm;
  return table<track>("track", column(&track::track_id, "track_id", primary_key, autoincrement(false)),
                      column(&track::name, "name"),
                      column(&track::album_id, "album_id", foreign_key(&album::album_id)),
                      column(&track::composer, "composer"), column(&track::unit_price, "unit_price"));
}
inline auto relate_mapping(relate::model<employee>) {
  using namespace relate::orm;
  return table<employee>(
      "employee", column(&employee::employee_id, "employee_id", primary_key, autoincrement(false)),
      column(&employee::first_name, "first_name"), column(&employee::last_name, "last_name"),
      column(&employee::reports_to, "reports_to", foreign_key(&employee::employee_id)),
      column(&employee::hire_date, "hire_date"));
}
inline auto relate_mapping(relate::model<playlist_track>) {
  using namespace relate::orm;
  return table<playlist_track>(
      "playlist_track", column(&playlist_track::playlist_id, "playlist_id"),
      column(&playlist_track::track_id, "track_id", foreign_key(&track::track_id)),
      primary_key_constraint(&playlist_track::playlist_id, &playlist_track::track_id));
}

}  // namespace pg
}  // namespace chinook_test
