// SPDX-License-Identifier: MIT
// The Chinook sample's music catalogue as relate models, on the tables and
// columns of Chinook_Sqlite.sql: artists have albums, albums have tracks (a
// one-to-many chain), employees report to employees (self-referential), and
// playlists hold tracks through PlaylistTrack (many-to-many).  Only the
// columns the report reads are mapped.
#pragma once

#include <relate/relate.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace chinook {

struct Album;
struct Track;
struct Playlist;

struct Artist {
  std::int64_t id{};
  std::optional<std::string> name;
  relate::many<Album> albums;
};

struct Album {
  std::int64_t id{};
  std::string title;
  std::int64_t artist_id{};
  relate::one<Artist> artist;
  relate::many<Track> tracks;
};

struct Track {
  std::int64_t id{};
  std::string name;
  std::optional<std::int64_t> album_id;
  std::int32_t milliseconds{};
  relate::one<Album> album;
  relate::many<Playlist> playlists;
};

struct Playlist {
  std::int64_t id{};
  std::optional<std::string> name;
  relate::many<Track> tracks;
};

struct PlaylistTrack {
  std::int64_t playlist_id{};
  std::int64_t track_id{};
};

struct Employee {
  std::int64_t id{};
  std::string first_name;
  std::string last_name;
  std::optional<std::string> title;
  std::optional<std::int64_t> reports_to;
  relate::one<Employee> manager;
  relate::many<Employee> reports;
};

inline auto relate_mapping(relate::model<Artist>) {
  using namespace relate::orm;
  return table<Artist>("Artist", column(&Artist::id, "ArtistId", primary_key), column(&Artist::name, "Name"),
                       relationship(&Artist::albums, back_populates(&Album::artist), order_by(&Album::id)));
}

inline auto relate_mapping(relate::model<Album>) {
  using namespace relate::orm;
  return table<Album>("Album", column(&Album::id, "AlbumId", primary_key), column(&Album::title, "Title"),
                      column(&Album::artist_id, "ArtistId", foreign_key(&Artist::id)),
                      relationship(&Album::artist, back_populates(&Artist::albums)),
                      relationship(&Album::tracks, back_populates(&Track::album)));
}

inline auto relate_mapping(relate::model<Track>) {
  using namespace relate::orm;
  return table<Track>(
      "Track", column(&Track::id, "TrackId", primary_key), column(&Track::name, "Name"),
      column(&Track::album_id, "AlbumId", foreign_key(&Album::id)),
      column(&Track::milliseconds, "Milliseconds"),
      relationship(&Track::album, back_populates(&Album::tracks)),
      relationship(&Track::playlists, secondary<PlaylistTrack>(), back_populates(&Playlist::tracks)));
}

inline auto relate_mapping(relate::model<Playlist>) {
  using namespace relate::orm;
  return table<Playlist>("Playlist", column(&Playlist::id, "PlaylistId", primary_key),
                         column(&Playlist::name, "Name"),
                         relationship(&Playlist::tracks, secondary<PlaylistTrack>(),
                                      back_populates(&Track::playlists), order_by(&Track::id)));
}

inline auto relate_mapping(relate::model<PlaylistTrack>) {
  using namespace relate::orm;
  return table<PlaylistTrack>("PlaylistTrack",
                              column(&PlaylistTrack::playlist_id, "PlaylistId", foreign_key(&Playlist::id)),
                              column(&PlaylistTrack::track_id, "TrackId", foreign_key(&Track::id)),
                              primary_key_constraint(&PlaylistTrack::playlist_id, &PlaylistTrack::track_id));
}

inline auto relate_mapping(relate::model<Employee>) {
  using namespace relate::orm;
  return table<Employee>("Employee", column(&Employee::id, "EmployeeId", primary_key),
                         column(&Employee::first_name, "FirstName"), column(&Employee::last_name, "LastName"),
                         column(&Employee::title, "Title"),
                         column(&Employee::reports_to, "ReportsTo", foreign_key(&Employee::id)),
                         relationship(&Employee::manager, back_populates(&Employee::reports)),
                         relationship(&Employee::reports, back_populates(&Employee::manager),
                                      order_by(&Employee::last_name, &Employee::first_name)));
}

}  // namespace chinook
