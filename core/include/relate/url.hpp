// SPDX-License-Identifier: MIT
// Connection URLs, as SQLAlchemy spells them:
//   sqlite:///relative.db   sqlite:////abs/path.db   sqlite://   sqlite:///:memory:
//   postgresql://user:p%40ss@host:5432/db?sslmode=disable
//   postgresql://user@[::1]:5432/db   postgresql:///db?host=/var/run/postgresql
//   postgresql://user@h1:5432,h2:5433/db?target_session_attrs=read-write  (libpq's multi-host form)
// The scheme picks the driver plugin; "dialect+driver" schemes keep the part
// before '+' as the dialect.  Passwords are kept, but never printed: str()
// masks them, and url_error messages never quote them.
#pragma once

#include <relate/export.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relate {

class RELATE_API url {
 public:
  /// Parses text; throws url_error saying what is wrong.
  static url parse(std::string_view text);

  const std::string& scheme() const noexcept { return scheme_; }  // "postgresql+libpq"
  std::string dialect() const;                                    // "postgresql"
  const std::optional<std::string>& username() const noexcept { return username_; }
  const std::optional<std::string>& password() const noexcept { return password_; }
  /// One host of the authority, with its port if it has one.
  struct endpoint {
    std::string host;  // without brackets for IPv6
    std::optional<std::uint16_t> port;
    friend bool operator==(const endpoint&, const endpoint&) = default;
  };
  /// The first host and its port ("" and none when the URL names no host).
  const std::string& host() const noexcept;
  std::optional<std::uint16_t> port() const noexcept;
  /// Every host, in order: one for most URLs, several for
  /// postgresql://u\@h1:5432,h2:5433/db (libpq tries them in turn).
  const std::vector<endpoint>& hosts() const noexcept { return hosts_; }
  /// Everything after the authority's '/', percent-decoded: the database name,
  /// or for SQLite the file path ("" and ":memory:" mean in-memory).
  const std::string& database() const noexcept { return database_; }
  /// Query parameters in order, percent-decoded.  Repeated keys are kept.
  const std::vector<std::pair<std::string, std::string>>& query() const noexcept { return query_; }
  std::optional<std::string> query_value(std::string_view key) const;

  /// The URL with the password replaced by "***": safe to log.
  std::string str() const;

 private:
  std::string scheme_;
  std::optional<std::string> username_;
  std::optional<std::string> password_;
  std::vector<endpoint> hosts_;
  std::string database_;
  std::vector<std::pair<std::string, std::string>> query_;
};

}  // namespace relate
