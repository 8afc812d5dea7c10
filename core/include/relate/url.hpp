// Connection URLs, as SQLAlchemy spells them:
//   sqlite:///relative.db   sqlite:////abs/path.db   sqlite://   sqlite:///:memory:
//   postgresql://user:p%40ss@host:5432/db?sslmode=disable
//   postgresql://user@[::1]:5432/db   postgresql:///db?host=/var/run/postgresql
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

  const std::string& scheme() const noexcept { return scheme_; }   // "postgresql+libpq"
  std::string dialect() const;                                      // "postgresql"
  const std::optional<std::string>& username() const noexcept { return username_; }
  const std::optional<std::string>& password() const noexcept { return password_; }
  const std::string& host() const noexcept { return host_; }       // without brackets for IPv6
  std::optional<std::uint16_t> port() const noexcept { return port_; }
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
  std::string host_;
  std::optional<std::uint16_t> port_;
  std::string database_;
  std::vector<std::pair<std::string, std::string>> query_;
};

}  // namespace relate
