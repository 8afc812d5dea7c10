// SPDX-License-Identifier: MIT
// A read token: where the primary's log stood after a commit, so that a later
// read routed to a replica sees that commit (read-your-writes by log
// position, not by time).
//
//   relate::session writer(engine);                 // a request that writes
//   ...; writer.commit();
//   response.set_cookie("relate-read", writer.read_token().str());
//
//   relate::session reader(engine, {.transaction = relate::transaction_options{.read_only = true},
//                                   .read_after = relate::read_token::parse(cookie)});
//
// The reader runs on a replica that has replayed the position, waiting up to
// engine_options::replica_wait for one, else on the primary.
#pragma once

#include <relate/export.hpp>

#include <string>
#include <string_view>
#include <utility>

namespace relate {

class RELATE_API read_token {
 public:
  /// No position: any replica will do.
  read_token() = default;
  /// A position as the driver reported it (PostgreSQL: an LSN such as 0/3000148).
  explicit read_token(std::string position) : position_(std::move(position)) {}

  const std::string& position() const noexcept { return position_; }
  bool empty() const noexcept { return position_.empty(); }

  /// Text to carry to a later request (a cookie, a header); parse() reads it back.
  std::string str() const { return position_; }
  /// Reads str()'s text; empty text is the empty token.  Text a driver could
  /// not have written (longer than 64 characters, or characters other than
  /// letters, digits and / : . _ -) is a usage_error: a token comes from a
  /// client, and is checked before it reaches a database.
  static read_token parse(std::string_view text);

  friend bool operator==(const read_token&, const read_token&) = default;

 private:
  std::string position_;
};

}  // namespace relate
