// SPDX-License-Identifier: MIT
// Hostile input through the ORM on every backend: the corpus of
// hostile_corpus.hpp stored as values and read back byte for byte, used as
// table and column names declared in mappings, matched literally by
// like_literal(), and afterwards every table is still there with exactly its
// rows.
#include "hostile_corpus.hpp"
#include "reliability_support.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace relate::testing {
namespace {

using namespace hostile;

// The table the "DROP TABLE users" strings aim at.
struct victim {
  std::int64_t id{};
  std::string name{};
};
inline auto relate_mapping(relate::model<victim>) {
  using namespace relate::orm;
  return table<victim>("users", column(&victim::id, "id", primary_key), column(&victim::name, "name"));
}

struct hostile_value {
  std::int64_t id{};
  std::string text{};
  std::optional<std::string> maybe_text{};
  relate::blob bytes{};
  std::optional<relate::blob> maybe_bytes{};
};
inline auto relate_mapping(relate::model<hostile_value>) {
  using namespace relate::orm;
  return table<hostile_value>(
      "hostile_values", column(&hostile_value::id, "id", primary_key), column(&hostile_value::text, "text"),
      column(&hostile_value::maybe_text, "maybe_text"), column(&hostile_value::bytes, "bytes"),
      column(&hostile_value::maybe_bytes, "maybe_bytes"));
}

// One model per entry of the name corpus: its table, key and value column are
// named by entry N, and a foreign key from a hostile name points at users.
template <int N>
struct hostile_row {
  std::int64_t id{};
  std::string value{};
  std::optional<std::int64_t> owner{};
};
template <int N>
auto relate_mapping(relate::model<hostile_row<N>>) {
  using namespace relate::orm;
  constexpr names n = name_corpus[N];
  return table<hostile_row<N>>(
      n.table, column(&hostile_row<N>::id, n.key, primary_key), column(&hostile_row<N>::value, n.value),
      column(&hostile_row<N>::owner, std::string(n.key) + " owner", foreign_key(&victim::id)));
}

static_assert(std::string_view(name_corpus.back().table).size() == 63, "the longest name is 63 bytes");

constexpr int name_count = static_cast<int>(name_corpus.size());

// Short text for failure messages (the corpus holds a 1 MiB string).
std::string shown(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 60)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      out += "\\x" + std::string(1, "0123456789abcdef"[u >> 4]) + "0123456789abcdef"[u & 0xf];
    } else {
      out += c;
    }
  }
  if (s.size() > 60) out += "... (" + std::to_string(s.size()) + " bytes)";
  return out;
}

std::set<std::int64_t> ids_of(const std::vector<relate::ptr<hostile_value>>& rows) {
  std::set<std::int64_t> ids;
  for (const auto& r : rows) ids.insert(r->id);
  return ids;
}

class hostile_values : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meta.add<victim, hostile_value>();
    meta.create_all(engine());
    relate::session s(engine());
    for (const char* name : {"alice", "bob", "carol"}) s.add(victim{.name = name});
    s.commit();
  }

  // The victims and the set of tables are as SetUp() left them.
  void expect_intact(const std::set<std::string>& tables) {
    EXPECT_EQ(table_names(db()), tables);
    EXPECT_EQ(committed_pairs(engine(), "users", "id", "name"),
              (std::vector<std::pair<std::int64_t, std::string>>{{1, "alice"}, {2, "bob"}, {3, "carol"}}));
  }

  relate::metadata meta;
};

TEST_P(hostile_values, texts_and_blobs_round_trip_exactly_through_the_orm) {
  const auto texts = text_values();
  const auto blobs = blob_values();
  std::vector<std::int64_t> text_ids, blob_ids;
  {
    relate::session s(engine());
    std::vector<relate::ptr<hostile_value>> added;
    for (const auto& t : texts)
      added.push_back(
          s.add(hostile_value{.text = t, .maybe_text = t, .bytes = bytes_of(t), .maybe_bytes = bytes_of(t)}));
    for (std::size_t i = 0; i < blobs.size(); ++i)
      added.push_back(s.add(
          hostile_value{.text = "blob " + std::to_string(i), .bytes = blobs[i], .maybe_bytes = blobs[i]}));
    s.commit();
    for (std::size_t i = 0; i < added.size(); ++i)
      (i < texts.size() ? text_ids : blob_ids).push_back(added[i]->id);
  }

  relate::session s(engine());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    SCOPED_TRACE("text " + std::to_string(i) + ": " + shown(texts[i]));
    auto row = s.get<hostile_value>(text_ids[i]);
    ASSERT_TRUE(row);
    EXPECT_TRUE(row->text == texts[i]) << shown(row->text);
    EXPECT_TRUE(row->maybe_text == texts[i]) << "an empty string is not NULL";
    EXPECT_TRUE(row->bytes == bytes_of(texts[i]));
    EXPECT_TRUE(row->maybe_bytes == bytes_of(texts[i])) << "an empty blob is not NULL";
    // The value as a bound parameter in WHERE finds its own row and no other.
    const auto found = s.query<hostile_value>().filter_by(&hostile_value::text, texts[i]).all();
    EXPECT_EQ(ids_of(found), std::set<std::int64_t>{text_ids[i]});
  }
  for (std::size_t i = 0; i < blobs.size(); ++i) {
    SCOPED_TRACE("blob " + std::to_string(i) + " of " + std::to_string(blobs[i].size()) + " bytes");
    auto row = s.get<hostile_value>(blob_ids[i]);
    ASSERT_TRUE(row);
    EXPECT_TRUE(row->bytes == blobs[i]);
    EXPECT_TRUE(row->maybe_bytes == blobs[i]);
    // Found by value: this row, and the text rows whose bytes are the same.
    const auto same =
        std::count_if(texts.begin(), texts.end(), [&](const auto& t) { return bytes_of(t) == blobs[i]; });
    EXPECT_EQ(s.query<hostile_value>().filter(relate::col(&hostile_value::bytes) == blobs[i]).count(),
              1 + same);
  }

  // Every value written again by an UPDATE (another statement shape) and read back.
  for (std::size_t i = 0; i < texts.size(); ++i)
    s.get<hostile_value>(text_ids[i])->text = texts[texts.size() - 1 - i];
  s.commit();
  relate::session t(engine());
  for (std::size_t i = 0; i < texts.size(); ++i)
    EXPECT_TRUE(t.get<hostile_value>(text_ids[i])->text == texts[texts.size() - 1 - i]) << shown(texts[i]);

  EXPECT_EQ(committed_count(engine(), "hostile_values"),
            static_cast<std::int64_t>(texts.size() + blobs.size()));
  expect_intact({"users", "hostile_values"});
}

TEST_P(hostile_values, like_literal_matches_the_text_itself_and_nothing_else) {
  const auto texts = text_values();
  std::vector<std::int64_t> ids;
  {
    relate::session s(engine());
    std::vector<relate::ptr<hostile_value>> added;
    for (const auto& t : texts) added.push_back(s.add(hostile_value{.text = t}));
    s.commit();
    for (const auto& a : added) ids.push_back(a->id);
  }
  relate::session s(engine());
  const auto text = relate::col(&hostile_value::text);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    // SQLite refuses LIKE patterns over 50,000 bytes (SQLITE_MAX_LIKE_PATTERN_LENGTH).
    if (texts[i].size() > 1000) continue;
    SCOPED_TRACE(shown(texts[i]));
    EXPECT_EQ(ids_of(s.query<hostile_value>().filter(text.like_literal(texts[i])).all()),
              std::set<std::int64_t>{ids[i]});
  }
  // Substring, prefix and suffix matches of wildcards and escapes: the
  // expected rows are the ones holding the text (no letters, so SQLite's
  // case-insensitive LIKE agrees with std::string::find).
  for (const std::string needle : {"%", "_", "\\", "'", "%_%", "\\'", "$1"}) {
    SCOPED_TRACE(needle);
    std::set<std::int64_t> containing, starting, ending;
    for (std::size_t i = 0; i < texts.size(); ++i) {
      if (texts[i].find(needle) != std::string::npos) containing.insert(ids[i]);
      if (texts[i].starts_with(needle)) starting.insert(ids[i]);
      if (texts[i].ends_with(needle)) ending.insert(ids[i]);
    }
    EXPECT_EQ(ids_of(s.query<hostile_value>().filter(text.contains(needle)).all()), containing);
    EXPECT_EQ(ids_of(s.query<hostile_value>().filter(text.startswith(needle)).all()), starting);
    EXPECT_EQ(ids_of(s.query<hostile_value>().filter(text.endswith(needle)).all()), ending);
  }
  // The decoys work: as patterns, these texts match more than themselves.
  const auto id_of = [&](std::string_view t) {
    return ids[std::find(texts.begin(), texts.end(), t) - texts.begin()];
  };
  EXPECT_EQ(ids_of(s.query<hostile_value>().filter(text.like("100% sure")).all()),
            (std::set<std::int64_t>{id_of("100% sure"), id_of("100X sure")}));
  EXPECT_EQ(ids_of(s.query<hostile_value>().filter(text.like("a_b")).all()),
            (std::set<std::int64_t>{id_of("a_b"), id_of("aXb")}));
  EXPECT_TRUE(ids_of(s.query<hostile_value>().filter(text.like("back\\slash", '\\')).all())
                  .contains(id_of("backslash")));
  expect_intact({"users", "hostile_values"});
}

TEST_P(hostile_values, text_a_backend_cannot_hold_is_refused_never_altered) {
  for (const auto& t : text_values_exact_or_refused()) {
    SCOPED_TRACE(shown(t));
    relate::session s(engine());
    auto row = s.add(hostile_value{.text = t, .maybe_text = t});
    try {
      s.commit();
    } catch (const relate::data_error& e) {
      // Refused: clearly, and with nothing stored; the session goes on.
      EXPECT_EQ(e.driver(), backend());
      EXPECT_EQ(row.status(), relate::object_status::pending);
      s.rollback();
      EXPECT_EQ(committed_count(engine(), "hostile_values"), 0);
      continue;
    }
    relate::session t2(engine());
    auto back = t2.get<hostile_value>(row->id);
    ASSERT_TRUE(back);
    EXPECT_TRUE(back->text == t) << "stored as " << shown(back->text);
    EXPECT_TRUE(back->maybe_text == t);
    t2.remove(back);
    t2.commit();
  }
  expect_intact({"users", "hostile_values"});
}

TEST_P(hostile_values, sql_text_with_a_nul_byte_is_refused_before_any_of_it_runs) {
  using namespace std::string_literals;
  const auto& d = engine().dialect();
  // Cut at the NUL, each would delete every user.
  const std::string without_params = "DELETE FROM " + d.quote_identifier("users") + "\0 WHERE id = 1"s;
  const std::string with_params =
      "DELETE FROM " + d.quote_identifier("users") + "\0 WHERE id = "s + d.placeholder(1);
  auto conn = engine().connect();
  for (const auto& sql : {without_params, with_params}) {
    try {
      if (sql == without_params) {
        conn.execute(sql);
      } else {
        conn.execute(sql, {relate::value(std::int64_t{1})});
      }
      ADD_FAILURE() << "SQL with a NUL byte ran";
    } catch (const relate::programming_error& e) {
      EXPECT_EQ(e.driver(), backend());
      EXPECT_NE(e.native_message().find("NUL byte at offset"), std::string::npos) << e.what();
      EXPECT_NE(e.sql().find("WHERE id"), std::string::npos)
          << "the whole statement is reported: " << e.sql();
    }
  }
  conn.commit();
  expect_intact({"users", "hostile_values"});
}

class hostile_names : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meta.add<victim>();
    add_all(std::make_integer_sequence<int, name_count>{});
    meta.create_all(engine());
    relate::session s(engine());
    for (const char* name : {"alice", "bob", "carol"}) s.add(victim{.name = name});
    s.commit();
  }

  template <int... N>
  void add_all(std::integer_sequence<int, N...>) {
    meta.add<hostile_row<N>...>();
  }

  // Runs f.template operator()<N>() for every entry of the name corpus.
  template <class F, int... N>
  static void for_each_name(F&& f, std::integer_sequence<int, N...>) {
    (f.template operator()<N>(), ...);
  }
  template <class F>
  static void for_each_name(F&& f) {
    for_each_name(std::forward<F>(f), std::make_integer_sequence<int, name_count>{});
  }

  std::set<std::string> hostile_tables() const {
    std::set<std::string> out;
    for (const auto& n : name_corpus) out.insert(n.table);
    return out;
  }

  relate::metadata meta;
};

TEST_P(hostile_names, hostile_table_and_column_names_work_through_the_orm_and_leave_every_table_intact) {
  auto all_tables = hostile_tables();
  all_tables.insert("users");
  ASSERT_EQ(all_tables.size(), name_corpus.size() + 1) << "the corpus names distinct tables";
  EXPECT_EQ(table_names(db()), all_tables)
      << "create_all made exactly the declared tables, with their exact names";

  for_each_name([&]<int N>() {
    constexpr names n = name_corpus[N];
    using row = hostile_row<N>;
    SCOPED_TRACE(std::string("table ") + shown(n.table));
    {
      relate::session s(engine());
      s.add(row{.value = n.value, .owner = 1});
      s.add(row{.value = n.table, .owner = 2});
      s.add(row{.value = "'; DROP TABLE users; --"});
      s.commit();
    }
    relate::session s(engine());
    auto rows = s.query<row>().order_by(relate::asc(&row::id)).all();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0]->value, n.value);
    EXPECT_EQ(rows[1]->value, n.table);
    EXPECT_EQ(rows[2]->owner, std::nullopt);
    EXPECT_EQ(s.get<row>(rows[1]->id), rows[1]);
    EXPECT_EQ(s.query<row>().filter_by(&row::value, std::string(n.table)).one(), rows[1]);
    EXPECT_EQ(s.query<row>().filter(relate::col(&row::value).like_literal(n.value)).one(), rows[0]);
    EXPECT_EQ(s.query<row>().filter(relate::col(&row::owner).is_not_null()).count(), 2);
    // UPDATE and DELETE name the table and columns too.
    rows[0]->value = "updated";
    s.remove(rows[2]);
    s.commit();

    // The database has the columns under exactly the declared names.
    auto conn = engine().connect();
    auto result = conn.execute("SELECT * FROM " + engine().dialect().quote_identifier(n.table));
    ASSERT_EQ(result.column_count(), 3u);
    auto it = result.begin();
    ASSERT_NE(it, result.end());
    EXPECT_EQ(it->column_name(0), n.key);
    EXPECT_EQ(it->column_name(1), n.value);
    EXPECT_EQ(it->column_name(2), std::string(n.key) + " owner");
  });

  // Every table intact: the same set of tables, the victims untouched, and
  // each hostile table holding exactly its two remaining rows.
  EXPECT_EQ(table_names(db()), all_tables);
  EXPECT_EQ(committed_pairs(engine(), "users", "id", "name"),
            (std::vector<std::pair<std::int64_t, std::string>>{{1, "alice"}, {2, "bob"}, {3, "carol"}}));
  for (const auto& n : name_corpus) {
    SCOPED_TRACE(shown(n.table));
    const auto pairs = committed_pairs(engine(), n.table, n.key, n.value);
    ASSERT_EQ(pairs.size(), 2u);
    EXPECT_EQ(pairs[0].second, "updated");
    EXPECT_EQ(pairs[1].second, n.table);
  }

  // drop_all finds and drops every one of them.
  meta.drop_all(engine());
  EXPECT_EQ(table_names(db()), std::set<std::string>{});
}

struct nul_named {
  std::int64_t id{};
};
inline auto relate_mapping(relate::model<nul_named>) {
  using namespace relate::orm;
  using namespace std::string_literals;
  return table<nul_named>("users\0; DROP TABLE users"s, column(&nul_named::id, "id", primary_key));
}

TEST_P(hostile_names, a_name_with_a_nul_byte_is_refused_before_any_sql_runs) {
  relate::metadata bad;
  bad.add<nul_named>();
  EXPECT_THROW(bad.create_all(engine()), relate::usage_error);
  relate::session s(engine());
  s.add(nul_named{});
  EXPECT_THROW(s.flush(), relate::usage_error);
  s.rollback();
  auto expected = hostile_tables();
  expected.insert("users");
  EXPECT_EQ(table_names(db()), expected);
  EXPECT_EQ(committed_count(engine(), "users"), 3);
}

RELATE_INSTANTIATE_BACKENDS(hostile_values);
RELATE_INSTANTIATE_BACKENDS(hostile_names);

}  // namespace
}  // namespace relate::testing
