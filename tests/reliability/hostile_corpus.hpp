// SPDX-License-Identifier: MIT
// The hostile inputs of the reliability suite: strings that break code which
// pastes values or names into SQL, mangles bytes on the way, or treats a
// LIKE pattern as literal text.  Values must come back byte for byte; names
// must name exactly one table or column and never leak into the SQL around
// them.
#pragma once

#include <relate/value.hpp>

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace relate::testing::hostile {

inline blob bytes_of(std::string_view s) {
  blob b;
  b.reserve(s.size());
  for (char c : s) b.push_back(static_cast<std::byte>(c));
  return b;
}

/// Text values every backend must store and return exactly.  No two differ
/// only in ASCII case (SQLite's LIKE ignores it), and every wildcard entry has
/// a decoy that an unescaped pattern would also match.
inline std::vector<std::string> text_values() {
  return {
      "",
      " ",
      "'",
      "''",
      "\"",
      "`",
      "'\"`",
      "it's \"quoted\" `three` ways",
      "\xE2\x80\x98single\xE2\x80\x99 \xE2\x80\x9C"
      "double\xE2\x80\x9D curly",
      "'; DROP TABLE users; --",
      "\"; DROP TABLE users; --",
      "x'); DELETE FROM users WHERE ('1' = '1",
      "1 OR 1=1",
      "/* comment */ SELECT 1",
      "-- line comment",
      "\\",
      "\\\\",
      "\\'",
      "\\0",
      "back\\slash",
      "backslash",  // decoy: back\slash as an unescaped pattern (\ escaping s) matches it
      "100%",
      "100% sure",
      "100X sure",  // decoy for "100% sure"
      "a_b",
      "aXb",  // decoy for "a_b"
      "%",
      "_",
      "%_%",
      "?",
      "$1",
      ":name",
      "?1 $2 :p %s {}",
      "caf\xC3\xA9 na\xC3\xAFve \xE2\x82\xAC \xF0\x9F\x98\x80\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",
      "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7",  // family: ZWJ sequence
      "\xE2\x80\x8F\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D\xE2\x80\x8E left \xE2\x80\xAEreversed\xE2\x80\xAC",
      "\xD8\xA7\xD9\x84\xD8\xB9\xD8\xB1\xD8\xA8\xD9\x8A\xD8\xA9",  // Arabic
      "\xEF\xBB\xBF"
      "BOM first",
      "e\xCC\x81 combining vs \xC3\xA9 precomposed",
      "\xE4\xB8\xAD\xE6\x96\x87 \xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E \xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4",
      "line\nbreak\r\nand\ttab\vvertical\ffeed",
      "\x01\x02\x1B[31m control \x7F",
      std::string(1 << 20, 'x') + "'end",  // 1 MiB
  };
}

/// Text SQL cannot always hold: a backend stores it exactly or refuses it
/// with a data_error, never changes it silently.
inline std::vector<std::string> text_values_exact_or_refused() {
  using namespace std::string_literals;
  return {
      "before\0after"s,               // PostgreSQL text cannot hold NUL
      "\0"s,                          //
      "invalid \xC3\x28 utf-8"s,      // a lead byte without its continuation
      "\xFF\xFE overlong \xC0\xAF"s,  // bytes that are never UTF-8
      "lone surrogate \xED\xA0\x80"s,
  };
}

/// Blobs: NUL bytes, every byte value, invalid UTF-8, text-looking SQL.
inline std::vector<blob> blob_values() {
  using namespace std::string_literals;
  blob every_byte;
  for (int i = 0; i < 256; ++i) every_byte.push_back(static_cast<std::byte>(i));
  blob large(1 << 20);
  for (std::size_t i = 0; i < large.size(); ++i) large[i] = static_cast<std::byte>((i * 131) ^ (i >> 9));
  return {
      blob{},
      bytes_of("\0"s),
      bytes_of("\0\0\0"s),
      bytes_of("nul\0in the middle\0"s),
      bytes_of("\xC3\x28\xFF\xFE\xC0\xAF\xED\xA0\x80"s),
      bytes_of("'; DROP TABLE users; --"s),
      bytes_of("\\x41\\\\"s),  // looks like bytea escape syntax
      every_byte,
      large,
  };
}

/// A table name and the names of its two columns, all hostile.  Each fits in
/// PostgreSQL's 63-byte identifiers, no two tables differ only in ASCII case
/// (SQLite folds it), and none holds NUL (no database can).
struct names {
  const char* table;
  const char* key;
  const char* value;
};

inline constexpr std::array<names, 16> name_corpus{{
    {"users'; DROP TABLE users; --", "id'; --", "v'); DROP TABLE users; --"},
    {"\"; DROP TABLE users; --", "\"id\"", "v\"\""},
    {"back\\slash\\", "\\", "\\\\v"},
    {"100% _wild_", "%", "_"},
    {"`tick`", "`", "``v``"},
    {"[bracketed]", "[id]", "]v["},
    {"select", "from", "where"},
    {"caf\xC3\xA9 \xF0\x9F\x98\x80", "\xF0\x9F\x94\x91", "\xC3\xA9t\xC3\xA9"},
    {"\xE2\x80\x8F\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D\xE2\x80\xAE", "\xE2\x80\x8Fid", "\xE2\x80\xAEv"},
    {" with space\tand\nnewline ", " id ", "v\r\n"},
    {"?1 $1 :name %s", "$1", ":v"},
    {"-- comment", "/* id */", "v--"},
    {"'", "''", "'''"},
    {"\"\"", "\"", "\"\"\""},
    {"Mixed.Case.dotted", "a.b", "x.y"},
    // 63 bytes exactly, ending in a 3-byte character: PostgreSQL's limit, where
    // a byte-wise cut would break the character.
    {"llllllllllllllllllllllllllllllllllllllllllllllllllllllllllll\xE2\x82\xAC", "id",
     "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\xE2\x82\xAC"},
}};

}  // namespace relate::testing::hostile
