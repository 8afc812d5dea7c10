// SPDX-License-Identifier: MIT
// Every operator and statement of the typed expression tree run against a real
// database on every backend, checking the rows that come back (the compiled
// SQL text is checked in tests/unit/sql_*_test.cpp).  Each test builds its
// statement with relate::sql and executes it through connection::execute().
#include "backends.hpp"
#include "conformance_support.hpp"

#include <relate/engine.hpp>
#include <relate/sql/expression.hpp>
#include <relate/sql/statements.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace relate::testing {
namespace {

using std::int64_t;
using opt_i64 = std::optional<int64_t>;
using opt_str = std::optional<std::string>;
using ids = std::vector<int64_t>;
using namespace relate::sql;

class expressions : public backend_test {
 protected:
  // people: id, name, age (nullable), score (nullable), city (nullable)
  table_ptr people = table("people");
  column<int64_t> id{people, "id"};
  column<std::string> name{people, "name"};
  column<opt_i64> age{people, "age"};
  column<std::optional<double>> score{people, "score"};
  column<opt_str> city{people, "city"};

  // pets: id, owner_id (nullable) -> people.id, species
  table_ptr pets = table("pets");
  column<int64_t> pet_id{pets, "id"};
  column<opt_i64> pet_owner{pets, "owner_id"};
  column<std::string> pet_species{pets, "species"};

  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto conn = engine().connect();
    conn.execute(
        "CREATE TABLE people (id BIGINT PRIMARY KEY, name TEXT NOT NULL, age BIGINT, "
        "score DOUBLE PRECISION, city TEXT)");
    conn.execute(
        "CREATE TABLE pets (id BIGINT PRIMARY KEY, owner_id BIGINT REFERENCES people (id), "
        "species TEXT NOT NULL)");
    // One row through value(), the rest as one multi-row INSERT.
    auto one = conn.execute(*insert(people)
                                 .value(id, 1)
                                 .value(name, "Alice")
                                 .value(age, 30)
                                 .value(score, 1.5)
                                 .value(city, "Paris")
                                 .node());
    EXPECT_EQ(one.rows_affected(), 1);
    auto many = conn.execute(*insert(people)
                                  .columns(id, name, age, score, city)
                                  .values(2, "bob", 25, std::nullopt, "London")
                                  .values(3, "Carol", std::nullopt, 3.0, "Paris")
                                  .values(4, "dave", 40, 2.5, std::nullopt)
                                  // A name holding the LIKE wildcards, and one that the same
                                  // text matches only as a pattern.
                                  .values(5, "e_100%", 35, std::nullopt, "London")
                                  .values(6, "ex100z", 20, 4.0, std::nullopt)
                                  .node());
    EXPECT_EQ(many.rows_affected(), 5);
    conn.execute(*insert(pets)
                      .columns(pet_id, pet_owner, pet_species)
                      .values(10, opt_i64(1), "cat")
                      .values(11, opt_i64(1), "dog")
                      .values(12, opt_i64(2), "cat")
                      .values(13, std::nullopt, "fish")
                      .values(14, opt_i64(4), "dog")
                      .node());
    conn.commit();
  }

  bool returning() { return engine().dialect().capabilities().returning; }

  // Runs a statement on a fresh connection and reads every row as Ts.
  template <class... Ts, class Q>
  std::vector<std::tuple<Ts...>> fetch(const Q& statement) {
    auto conn = engine().connect();
    return read_all<Ts...>(conn.execute(*statement.node()), std::index_sequence_for<Ts...>{});
  }
  template <class... Ts, std::size_t... I>
  static std::vector<std::tuple<Ts...>> read_all(result r, std::index_sequence<I...> /*unused*/) {
    std::vector<std::tuple<Ts...>> out;
    for (const auto& row : r) {
      EXPECT_EQ(row.size(), sizeof...(Ts));
      out.emplace_back(row.template get<Ts>(I)...);
    }
    return out;
  }
  // One column of every row.
  template <class T, class Q>
  std::vector<T> column_of(const Q& statement) {
    std::vector<T> out;
    for (auto& [v] : fetch<T>(statement)) out.push_back(v);
    return out;
  }
  // The ids of people matching a condition, in id order.
  template <class P>
  ids where(const P& condition) {
    return column_of<int64_t>(select(id).where(condition).order_by(id));
  }
};

TEST_P(expressions, comparisons) {
  EXPECT_EQ(where(id == 3), (ids{3}));
  EXPECT_EQ(where(id != 3), (ids{1, 2, 4, 5, 6}));
  EXPECT_EQ(where(age < 30), (ids{2, 6}));
  EXPECT_EQ(where(age <= 30), (ids{1, 2, 6}));
  EXPECT_EQ(where(age > 30), (ids{4, 5}));
  EXPECT_EQ(where(age >= 30), (ids{1, 4, 5}));
  EXPECT_EQ(where(name == "bob"), (ids{2}));
  EXPECT_EQ(where(score > 2.0), (ids{3, 4, 6}));
  // A value on the left, and a column compared with a column.
  EXPECT_EQ(where(30 < age), (ids{4, 5}));
  EXPECT_EQ(where(age > id * 10), (ids{1, 2}));
  // == with an empty optional is IS NULL, != is IS NOT NULL.
  EXPECT_EQ(where(age == opt_i64{}), (ids{3}));
  EXPECT_EQ(where(city != opt_str{}), (ids{1, 2, 3, 5}));
  EXPECT_EQ(where(city == opt_str("Paris")), (ids{1, 3}));
}

TEST_P(expressions, and_or_not_follow_sql_null_logic) {
  EXPECT_EQ(where(age > 28 && city == "Paris"), (ids{1}));
  EXPECT_EQ(where(age > 28 || city == "Paris"), (ids{1, 3, 4, 5}));
  // NOT of an unknown (NULL) comparison is still unknown: the NULL rows stay out.
  EXPECT_EQ(where(!(city == "Paris")), (ids{2, 5}));
  EXPECT_EQ(where(!(age > 28)), (ids{2, 6}));
  // NULL OR true is true; NULL AND false is false, so NOT of it is true.
  EXPECT_EQ(where(age > 100 || id == 3), (ids{3}));
  EXPECT_EQ(where(!(age > 0 && id == 99)), (ids{1, 2, 3, 4, 5, 6}));
  // Grouping: a || (b && c) differs from (a || b) && c.
  EXPECT_EQ(where(id == 1 || (id == 2 && age == 99)), (ids{1}));
  EXPECT_EQ(where((id == 1 || id == 2) && age == 25), (ids{2}));
  // Several where() calls AND together.
  EXPECT_EQ(column_of<int64_t>(select(id).where(age > 20).where(city == "London").order_by(id)), (ids{2, 5}));
}

TEST_P(expressions, like_and_not_like) {
  EXPECT_EQ(where(name.like("%o%")), (ids{2, 3}));
  EXPECT_EQ(where(name.not_like("%o%")), (ids{1, 4, 5, 6}));
  EXPECT_EQ(where(name.like("_a%")), (ids{3, 4}));
  EXPECT_EQ(where(city.like("Par%")), (ids{1, 3}));
  // The pattern can be an expression.
  EXPECT_EQ(where(name.like(name)), (ids{1, 2, 3, 4, 5, 6}));
}

TEST_P(expressions, ilike_ignores_case_on_every_backend) {
  EXPECT_EQ(where(name.ilike("ALICE")), (ids{1}));
  EXPECT_EQ(where(name.ilike("%O%")), (ids{2, 3}));
  EXPECT_EQ(where(name.ilike("c%") || name.ilike("D%")), (ids{3, 4}));
  EXPECT_EQ(where(name.not_ilike("%A%")), (ids{2, 5, 6}));
  EXPECT_EQ(where(city.ilike("lONDON")), (ids{2, 5}));
}

TEST_P(expressions, like_literal_escapes_wildcards_in_data) {
  // As a pattern, "e_100%" also matches "ex100z"; as literal text only itself.
  EXPECT_EQ(where(name.like("e_100%")), (ids{5, 6}));
  EXPECT_EQ(where(name.like_literal("e_100%")), (ids{5}));
  EXPECT_EQ(where(name.like_literal("e_100")), (ids{}));
  EXPECT_EQ(where(name.contains("_1")), (ids{5}));
  EXPECT_EQ(where(name.contains("x1")), (ids{6}));
  EXPECT_EQ(where(name.startswith("e_")), (ids{5}));
  EXPECT_EQ(where(name.endswith("%")), (ids{5}));
  EXPECT_EQ(where(name.endswith("e")), (ids{1, 4}));
  // An explicit escape character.
  EXPECT_EQ(where(name.like("e!_1%", '!')), (ids{5}));
}

TEST_P(expressions, in_values_empty_lists_and_subqueries) {
  EXPECT_EQ(where(id.in_({2, 4, 9})), (ids{2, 4}));
  EXPECT_EQ(where(id.not_in({1, 2})), (ids{3, 4, 5, 6}));
  EXPECT_EQ(where(name.in_({"bob", "Carol", "nobody"})), (ids{2, 3}));
  EXPECT_EQ(where(id.in_(std::vector<int64_t>{6, 1})), (ids{1, 6}));
  // An empty list matches nothing; NOT IN an empty list matches everything.
  EXPECT_EQ(where(id.in_(std::vector<int64_t>{})), (ids{}));
  EXPECT_EQ(where(id.not_in(std::vector<int64_t>{})), (ids{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(where(age.not_in(std::vector<int64_t>{})), (ids{1, 2, 3, 4, 5, 6}));
  // A NULL subject is not IN a list.
  EXPECT_EQ(where(age.in_({30, 40})), (ids{1, 4}));
  // Subqueries.
  EXPECT_EQ(where(id.in_(select(pet_owner))), (ids{1, 2, 4}));
  EXPECT_EQ(where(id.in_(select(pet_owner).where(pet_species == "dog"))), (ids{1, 4}));
  EXPECT_EQ(where(id.not_in(select(pet_owner).where(pet_owner.is_not_null()))), (ids{3, 5, 6}));
  // SQL: NOT IN a set holding NULL is never true.
  EXPECT_EQ(where(id.not_in(select(pet_owner))), (ids{}));
}

TEST_P(expressions, is_null_and_between) {
  EXPECT_EQ(where(age.is_null()), (ids{3}));
  EXPECT_EQ(where(city.is_null()), (ids{4, 6}));
  EXPECT_EQ(where(city.is_not_null()), (ids{1, 2, 3, 5}));
  EXPECT_EQ(where(age.between(25, 35)), (ids{1, 2, 5}));  // inclusive
  EXPECT_EQ(where(age.not_between(25, 35)), (ids{4, 6}));
  EXPECT_EQ(where(score.between(1.5, 2.5)), (ids{1, 4}));
  EXPECT_EQ(where(id.between(age - 29, 3)), (ids{1, 2}));  // NULL bound: unknown
}

TEST_P(expressions, arithmetic_and_concatenation) {
  auto rows = fetch<opt_i64, opt_i64, opt_i64, opt_i64, opt_i64, opt_i64>(
      select(age + 1, age - id, age * 2, age / 2, age % 7, -age).where(id == 2));
  ASSERT_EQ(rows.size(), 1U);
  // 25 / 2 is integer division on every backend.
  EXPECT_EQ(rows[0],
            std::make_tuple(opt_i64(26), opt_i64(23), opt_i64(50), opt_i64(12), opt_i64(4), opt_i64(-25)));
  // NULL propagates.
  EXPECT_EQ(column_of<opt_i64>(select(age + 1).where(id == 3)), (std::vector<opt_i64>{std::nullopt}));
  EXPECT_EQ(column_of<std::optional<double>>(select(score * 2).where(id == 1)),
            (std::vector<std::optional<double>>{3.0}));
  EXPECT_EQ(column_of<double>(select(cast<double>(id) / 4).where(id == 1)), (std::vector<double>{0.25}));
  EXPECT_EQ(column_of<std::string>(select(name + "!").where(id == 1)), (std::vector<std::string>{"Alice!"}));
  EXPECT_EQ(column_of<std::string>(select(concat(name, name)).where(id == 2)),
            (std::vector<std::string>{"bobbob"}));
  EXPECT_EQ(where(age + 5 == 35), (ids{1}));
}

TEST_P(expressions, aggregates_over_the_whole_table) {
  auto rows = fetch<int64_t, int64_t, opt_i64, std::optional<double>, opt_i64, opt_i64, int64_t>(
      select(count(), count(age), sum(age), avg(score), min(age), max(age), count_distinct(city)));
  ASSERT_EQ(rows.size(), 1U);
  // count(age) skips the NULL; avg over the four non-NULL scores.
  EXPECT_EQ(rows[0], std::make_tuple(int64_t{6}, int64_t{5}, opt_i64(150), std::optional<double>(2.75),
                                     opt_i64(20), opt_i64(40), int64_t{2}));
  EXPECT_EQ(column_of<std::optional<double>>(select(sum(score))), (std::vector<std::optional<double>>{11.0}));
  EXPECT_EQ(column_of<std::optional<double>>(select(min(score)).where(id > 1)),
            (std::vector<std::optional<double>>{2.5}));
  // Over no rows: count is 0, the others NULL.
  auto none = fetch<int64_t, opt_i64, opt_i64>(select(count(), sum(age), max(age)).where(id > 100));
  EXPECT_EQ(none, (std::vector<std::tuple<int64_t, opt_i64, opt_i64>>{{0, std::nullopt, std::nullopt}}));
}

TEST_P(expressions, group_by_and_having) {
  using row = std::tuple<std::string, int64_t, opt_i64>;
  auto n = count().label("n");
  auto grouped = select(city, n, sum(age)).where(city.is_not_null()).group_by(city).order_by(city);
  EXPECT_EQ((fetch<std::string, int64_t, opt_i64>(grouped)),
            (std::vector<row>{{"London", 2, 60}, {"Paris", 2, 30}}));
  EXPECT_EQ((fetch<std::string, int64_t, opt_i64>(grouped.having(sum(age) > 40))),
            (std::vector<row>{{"London", 2, 60}}));
  EXPECT_EQ((fetch<std::string, int64_t, opt_i64>(grouped.having(count() > 5))), (std::vector<row>{}));
  // Grouping by the join: pets per species, largest group first.
  using species_row = std::tuple<std::string, int64_t>;
  EXPECT_EQ((fetch<std::string, int64_t>(select(pet_species, count(pet_id).label("k"))
                                             .group_by(pet_species)
                                             .having(count(pet_id) >= 2)
                                             .order_by(pet_species))),
            (std::vector<species_row>{{"cat", 2}, {"dog", 2}}));
}

TEST_P(expressions, string_functions_and_coalesce) {
  using row = std::tuple<std::string, std::string>;
  EXPECT_EQ((fetch<std::string, std::string>(select(lower(name), upper(name)).where(id == 1))),
            (std::vector<row>{{"alice", "ALICE"}}));
  EXPECT_EQ(where(lower(name) == "carol"), (ids{3}));
  EXPECT_EQ(column_of<std::string>(select(coalesce(city, "nowhere")).order_by(id)),
            (std::vector<std::string>{"Paris", "London", "Paris", "nowhere", "London", "nowhere"}));
  EXPECT_EQ(column_of<int64_t>(select(coalesce(age, id)).order_by(id)), (ids{30, 25, 3, 40, 35, 20}));
  EXPECT_EQ(column_of<opt_i64>(select(coalesce(age, opt_i64{})).where(id == 3)),
            (std::vector<opt_i64>{std::nullopt}));
  // A generic function by name.
  EXPECT_EQ(column_of<int64_t>(select(func<int64_t>("length", name)).where(id == 5)), (ids{6}));
  EXPECT_EQ(column_of<int64_t>(select(func<int64_t>("abs", -id)).where(id == 4)), (ids{4}));
}

TEST_P(expressions, case_when) {
  auto band = case_().when(age < 25, "young").when(age < 35, "mid").otherwise("old");
  // NULL < 25 is unknown, so the NULL age falls to ELSE.
  EXPECT_EQ(column_of<std::string>(select(band).order_by(id)),
            (std::vector<std::string>{"mid", "mid", "old", "old", "old", "young"}));
  auto no_else = case_().when(city == "Paris", 1).end();
  EXPECT_EQ(column_of<opt_i64>(select(no_else).order_by(id)),
            (std::vector<opt_i64>{1, std::nullopt, 1, std::nullopt, std::nullopt, std::nullopt}));
  EXPECT_EQ(where(case_().when(age > 30, id).otherwise(0) > 0), (ids{4, 5}));
}

TEST_P(expressions, casts) {
  EXPECT_EQ(column_of<std::string>(select(cast<std::string>(id)).where(id == 4)),
            (std::vector<std::string>{"4"}));
  EXPECT_EQ(column_of<int64_t>(select(cast<int64_t>(literal(std::string("42"))))), (ids{42}));
  EXPECT_EQ(column_of<double>(select(cast<double>(id)).where(id == 3)), (std::vector<double>{3.0}));
  EXPECT_EQ(column_of<opt_i64>(select(cast<opt_i64>(score)).where(id == 3)), (std::vector<opt_i64>{3}));
  EXPECT_EQ(column_of<opt_i64>(select(cast<opt_i64>(age)).where(id == 3)),
            (std::vector<opt_i64>{std::nullopt}));
  EXPECT_EQ(where(cast<std::string>(id) == "6"), (ids{6}));
}

TEST_P(expressions, labels_and_table_aliases) {
  auto r = engine().connect();
  auto result = r.execute(*select(name.label("who"), (age + 1).label("next_age")).where(id == 1).node());
  for (const auto& row : result) {
    EXPECT_EQ(row.column_name(0), "who");
    EXPECT_EQ(row.get<std::string>("who"), "Alice");
    EXPECT_EQ(row.get<int64_t>("next_age"), 31);
  }
  // A self-join through an aliased table: each person with the next id.
  auto next = alias(people, "next");
  column<int64_t> next_id(next, "id");
  column<std::string> next_name(next, "name");
  using row = std::tuple<std::string, std::string>;
  EXPECT_EQ((fetch<std::string, std::string>(
                select(name, next_name).join(next, next_id == id + 1).where(id <= 2).order_by(id))),
            (std::vector<row>{{"Alice", "bob"}, {"bob", "Carol"}}));
}

TEST_P(expressions, inner_and_left_joins) {
  using pair = std::tuple<int64_t, std::string>;
  EXPECT_EQ((fetch<int64_t, std::string>(
                select(id, pet_species).from(people).join(pets, pet_owner == id).order_by(pet_id))),
            (std::vector<pair>{{1, "cat"}, {1, "dog"}, {2, "cat"}, {4, "dog"}}));
  // LEFT JOIN keeps unmatched people, with NULLs for the pet's columns.
  using left = std::tuple<int64_t, opt_i64, opt_str>;
  EXPECT_EQ((fetch<int64_t, opt_i64, opt_str>(select(id, pet_id, pet_species)
                                                  .from(people)
                                                  .left_join(pets, pet_owner == id)
                                                  .order_by(id, pet_id))),
            (std::vector<left>{{1, 10, "cat"},
                               {1, 11, "dog"},
                               {2, 12, "cat"},
                               {3, std::nullopt, std::nullopt},
                               {4, 14, "dog"},
                               {5, std::nullopt, std::nullopt},
                               {6, std::nullopt, std::nullopt}}));
  // An ON with more than one condition, and WHERE on the NULL side: people without dogs.
  EXPECT_EQ(column_of<int64_t>(select(id)
                                   .from(people)
                                   .left_join(pets, pet_owner == id && pet_species == "dog")
                                   .where(pet_id.is_null())
                                   .order_by(id)),
            (ids{2, 3, 5, 6}));
}

TEST_P(expressions, order_by_directions_and_nulls) {
  EXPECT_EQ(column_of<int64_t>(select(id).order_by(desc(id))), (ids{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(column_of<int64_t>(select(id).where(age.is_not_null()).order_by(asc(age))), (ids{6, 2, 1, 5, 4}));
  EXPECT_EQ(column_of<int64_t>(select(id).order_by(desc(coalesce(city, "")), id)), (ids{1, 3, 2, 5, 4, 6}));
  if (!engine().dialect().capabilities().nulls_ordering) GTEST_SKIP() << "no NULLS FIRST/LAST";
  EXPECT_EQ(column_of<int64_t>(select(id).order_by(desc(age).nulls_first())), (ids{3, 4, 5, 1, 2, 6}));
  EXPECT_EQ(column_of<int64_t>(select(id).order_by(desc(age).nulls_last())), (ids{4, 5, 1, 2, 6, 3}));
  EXPECT_EQ(column_of<int64_t>(select(id).order_by(asc(age).nulls_first())), (ids{3, 6, 2, 1, 5, 4}));
  EXPECT_EQ(column_of<int64_t>(select(id).order_by(asc(age).nulls_last())), (ids{6, 2, 1, 5, 4, 3}));
  EXPECT_EQ(column_of<int64_t>(select(id).order_by(asc(city).nulls_first(), desc(id))),
            (ids{6, 4, 5, 2, 3, 1}));
}

TEST_P(expressions, limit_and_offset) {
  auto ordered = select(id).order_by(id);
  EXPECT_EQ(column_of<int64_t>(ordered.limit(2)), (ids{1, 2}));
  EXPECT_EQ(column_of<int64_t>(ordered.limit(2).offset(3)), (ids{4, 5}));
  EXPECT_EQ(column_of<int64_t>(ordered.offset(4)), (ids{5, 6}));  // OFFSET without LIMIT
  EXPECT_EQ(column_of<int64_t>(ordered.limit(0)), (ids{}));
  EXPECT_EQ(column_of<int64_t>(ordered.offset(10)), (ids{}));
  EXPECT_EQ(column_of<int64_t>(ordered.limit(100).offset(5)), (ids{6}));
}

TEST_P(expressions, distinct) {
  EXPECT_EQ(column_of<std::string>(select(pet_species).distinct().order_by(pet_species)),
            (std::vector<std::string>{"cat", "dog", "fish"}));
  EXPECT_EQ(column_of<std::string>(select(pet_species).order_by(pet_species)).size(), 5U);
  EXPECT_EQ(column_of<opt_str>(select(city).distinct().where(city.is_not_null()).order_by(city)),
            (std::vector<opt_str>{"London", "Paris"}));
  EXPECT_EQ(
      column_of<opt_i64>(select(pet_owner).distinct().where(pet_owner.is_not_null()).order_by(pet_owner)),
      (std::vector<opt_i64>{1, 2, 4}));
}

TEST_P(expressions, derived_tables) {
  auto per_owner =
      select(pet_owner.label("owner"), count().label("n")).group_by(pet_owner).subquery("per_owner");
  auto owner = per_owner.c<opt_i64>("owner");
  auto n = per_owner.c<int64_t>("n");
  using row = std::tuple<std::string, int64_t>;
  EXPECT_EQ((fetch<std::string, int64_t>(select(name, n).join(per_owner, owner == id).order_by(id))),
            (std::vector<row>{{"Alice", 2}, {"bob", 1}, {"dave", 1}}));
  EXPECT_EQ((fetch<std::string, int64_t>(select(name, n).join(per_owner, owner == id).where(n >= 2))),
            (std::vector<row>{{"Alice", 2}}));
  // Selecting from the derived table alone.
  EXPECT_EQ(column_of<opt_i64>(select(sum(n)).from(per_owner)), (std::vector<opt_i64>{5}));
}

TEST_P(expressions, exists_and_not_exists_correlated) {
  EXPECT_EQ(where(exists(select(pet_id).where(pet_owner == id))), (ids{1, 2, 4}));
  EXPECT_EQ(where(not_exists(select(pet_id).where(pet_owner == id))), (ids{3, 5, 6}));
  EXPECT_EQ(where(exists(select(pet_id).where(pet_owner == id && pet_species == "cat"))), (ids{1, 2}));
  // Uncorrelated: true or false for every row.
  EXPECT_EQ(where(exists(select(pet_id).where(pet_species == "fish"))), (ids{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(where(exists(select(pet_id).where(pet_species == "bird"))), (ids{}));
}

TEST_P(expressions, scalar_subqueries) {
  auto pet_count = select(count()).from(pets).where(pet_owner == id).scalar<int64_t>();
  using row = std::tuple<int64_t, int64_t>;
  EXPECT_EQ((fetch<int64_t, int64_t>(select(id, pet_count.label("pets")).order_by(id))),
            (std::vector<row>{{1, 2}, {2, 1}, {3, 0}, {4, 1}, {5, 0}, {6, 0}}));
  EXPECT_EQ(where(pet_count > 1), (ids{1}));
  EXPECT_EQ(where(age == select(max(age)).scalar<opt_i64>()), (ids{4}));
  EXPECT_EQ(where(id == select(max(pet_owner)).scalar<opt_i64>()), (ids{4}));
}

TEST_P(expressions, union_removes_duplicates_union_all_keeps_them) {
  auto paris = select(city).where(city == "Paris");
  auto london = select(city).where(city == "London");
  auto sorted = [](std::vector<opt_str> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  EXPECT_EQ(sorted(column_of<opt_str>(union_(paris, london))), (std::vector<opt_str>{"London", "Paris"}));
  EXPECT_EQ(sorted(column_of<opt_str>(union_all(paris, london))),
            (std::vector<opt_str>{"London", "London", "Paris", "Paris"}));
  // ORDER BY and LIMIT of the whole compound.
  column<opt_str> by_name(nullptr, "city");
  EXPECT_EQ(column_of<opt_str>(union_all(paris, london, paris).order_by(desc(by_name)).limit(3)),
            (std::vector<opt_str>{"Paris", "Paris", "Paris"}));
  EXPECT_EQ(column_of<opt_str>(union_(paris, london, paris).order_by(by_name)),
            (std::vector<opt_str>{"London", "Paris"}));
}

TEST_P(expressions, insert_one_and_many_rows_with_returning) {
  auto conn = engine().connect();
  auto one = insert(people).value(id, 7).value(name, "Gus").value(age, opt_i64{});
  if (returning()) {
    auto r = conn.execute(*one.returning(id, name, age).node());
    int rows = 0;
    for (const auto& row : r) {
      ++rows;
      EXPECT_EQ(row.get<int64_t>(0), 7);
      EXPECT_EQ(row.get<std::string>(1), "Gus");
      EXPECT_EQ(row.get<opt_i64>(2), std::nullopt);
    }
    EXPECT_EQ(rows, 1);
  } else {
    EXPECT_EQ(conn.execute(*one.node()).rows_affected(), 1);
  }
  auto many = insert(pets)
                  .columns(pet_id, pet_owner, pet_species)
                  .values(20, opt_i64(7), "owl")
                  .values(21, opt_i64(7), "newt");
  if (returning()) {
    auto r = conn.execute(*many.returning(pet_id, (pet_id * 10).label("x")).node());
    using row = std::tuple<int64_t, int64_t>;
    auto got = read_all<int64_t, int64_t>(std::move(r), std::index_sequence_for<int64_t, int64_t>{});
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<row>{{20, 200}, {21, 210}}));
  } else {
    EXPECT_EQ(conn.execute(*many.node()).rows_affected(), 2);
  }
  conn.commit();
  // INSERT ... SELECT
  EXPECT_EQ(conn.execute(*insert(pets)
                              .columns(pet_id, pet_owner, pet_species)
                              .from_select(select(id + 100, literal(int64_t{7}), name).where(id == 6))
                              .node())
                .rows_affected(),
            1);
  conn.commit();
  using row = std::tuple<int64_t, std::string>;
  EXPECT_EQ((fetch<int64_t, std::string>(select(pet_id, pet_species).where(pet_owner == 7).order_by(pet_id))),
            (std::vector<row>{{20, "owl"}, {21, "newt"}, {106, "ex100z"}}));
  EXPECT_EQ(where(age.is_null()), (ids{3, 7}));
}

TEST_P(expressions, update_with_where_and_returning) {
  {
    auto conn = engine().connect();
    auto paris = update(people).set(age, age + 1).set(city, opt_str("Lyon")).where(city == "Paris");
    if (returning()) {
      auto r = conn.execute(*paris.returning(id, age).node());
      auto got = read_all<int64_t, opt_i64>(std::move(r), std::index_sequence_for<int64_t, opt_i64>{});
      std::sort(got.begin(), got.end());
      using row = std::tuple<int64_t, opt_i64>;
      EXPECT_EQ(got, (std::vector<row>{{1, 31}, {3, std::nullopt}}));
    } else {
      EXPECT_EQ(conn.execute(*paris.node()).rows_affected(), 2);
    }
    EXPECT_EQ(conn.execute(*update(people).set(score, 0.5).where(id.in_({2, 4})).node()).rows_affected(), 2);
    EXPECT_EQ(conn.execute(*update(people).set(name, "nobody").where(id > 100).node()).rows_affected(), 0);
    conn.commit();
  }
  EXPECT_EQ(where(city == "Lyon"), (ids{1, 3}));
  EXPECT_EQ(where(city == "Paris"), (ids{}));
  EXPECT_EQ(column_of<opt_i64>(select(age).order_by(id)),
            (std::vector<opt_i64>{31, 25, std::nullopt, 40, 35, 20}));
  EXPECT_EQ(where(score == 0.5), (ids{2, 4}));
  // An update without WHERE touches every row.
  auto conn = engine().connect();
  EXPECT_EQ(conn.execute(*update(pets).set(pet_species, "rock").node()).rows_affected(), 5);
}

TEST_P(expressions, delete_with_where_and_returning) {
  auto conn = engine().connect();
  auto cats = delete_from(pets).where(pet_species == "cat");
  if (returning()) {
    auto got =
        read_all<int64_t>(conn.execute(*cats.returning(pet_id).node()), std::index_sequence_for<int64_t>{});
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<std::tuple<int64_t>>{{10}, {12}}));
  } else {
    EXPECT_EQ(conn.execute(*cats.node()).rows_affected(), 2);
  }
  EXPECT_EQ(conn.execute(*delete_from(pets).where(pet_owner.is_null()).node()).rows_affected(), 1);
  EXPECT_EQ(conn.execute(*delete_from(pets).where(pet_id > 1000).node()).rows_affected(), 0);
  conn.commit();
  EXPECT_EQ(column_of<int64_t>(select(pet_id).order_by(pet_id)), (ids{11, 14}));
}

TEST_P(expressions, text_with_named_binds) {
  // As a whole statement; a name used twice binds the same value.
  auto statement = text("SELECT name FROM people WHERE age > :min AND (city = :c OR name = :c) ORDER BY id")
                       .bind("min", 20)
                       .bind("c", "London");
  EXPECT_EQ(column_of<std::string>(statement), (std::vector<std::string>{"bob", "e_100%"}));
  // Rebinding replaces the value.
  EXPECT_EQ(column_of<std::string>(statement.bind("c", "Paris")), (std::vector<std::string>{"Alice"}));
  // As a condition inside a built query, combined with typed ones.
  EXPECT_EQ(where(text("age >= :low").bind("low", 35)), (ids{4, 5}));
  EXPECT_EQ(where(text("age >= :low").bind("low", 30).as<bool>() && city.is_null()), (ids{4}));
  // As a DML statement.
  auto conn = engine().connect();
  conn.execute(*text("UPDATE people SET name = :n WHERE id = :id").bind("n", "Zed").bind("id", 6).node());
  conn.commit();
  EXPECT_EQ(where(name == "Zed"), (ids{6}));
}

TEST_P(expressions, is_distinct_from_is_null_safe) {
  EXPECT_EQ(where(is_distinct_from(age, 30)), (ids{2, 3, 4, 5, 6}));  // NULL is distinct from 30
  EXPECT_EQ(where(is_not_distinct_from(age, opt_i64{})), (ids{3}));
  EXPECT_EQ(where(is_not_distinct_from(city, opt_str("Paris"))), (ids{1, 3}));
  EXPECT_EQ(where(is_distinct_from(age, age)), (ids{}));  // NULL is not distinct from NULL
}

TEST_P(expressions, intersect_and_except) {
  auto low = select(id).where(id < 4);
  auto high = select(id).where(id > 1);
  column<int64_t> by_id(nullptr, "id");
  EXPECT_EQ(column_of<int64_t>(intersect(low, high).order_by(by_id)), (ids{2, 3}));
  EXPECT_EQ(column_of<int64_t>(except_(low, high).order_by(by_id)), (ids{1}));
}

TEST_P(expressions, cross_join) {
  EXPECT_EQ(column_of<int64_t>(select(count()).from(people).cross_join(pets)), (ids{30}));
  EXPECT_EQ(column_of<int64_t>(select(count()).from(people).cross_join(pets).where(pet_owner == id)),
            (ids{4}));
}

TEST_P(expressions, booleans_dates_and_timestamps) {
  using namespace std::chrono;
  auto conn = engine().connect();
  conn.execute("CREATE TABLE events (id BIGINT PRIMARY KEY, done BOOLEAN NOT NULL, day " +
               type_name(engine(), sql::type_kind::date) + ", at " +
               type_name(engine(), sql::type_kind::timestamp) + ")");
  auto events = table("events");
  column<int64_t> eid(events, "id");
  column<bool> done(events, "done");
  column<std::optional<date>> day(events, "day");
  column<std::optional<timestamp>> at(events, "at");
  const date d1 = sys_days{2024y / 1 / 31};
  const date d2 = sys_days{2024y / 2 / 29};
  const date d3 = sys_days{2025y / 12 / 1};
  const timestamp t1 = sys_days{2024y / 1 / 31} + 10h + 30min + 15s + 250ms;
  const timestamp t2 = sys_days{2024y / 1 / 31} + 23h + 59min + 59s + 999999us;
  conn.execute(*insert(events)
                    .columns(eid, done, day, at)
                    .values(1, true, d1, t1)
                    .values(2, false, d2, t2)
                    .values(3, true, d3, std::nullopt)
                    .values(4, false, std::nullopt, std::nullopt)
                    .node());
  conn.commit();
  auto event_ids = [&](const expr<bool>& condition) {
    return column_of<int64_t>(select(eid).where(condition).order_by(eid));
  };
  // A boolean column as a condition, negated, and compared with a value.
  EXPECT_EQ(event_ids(done), (ids{1, 3}));
  EXPECT_EQ(event_ids(!done), (ids{2, 4}));
  EXPECT_EQ(event_ids(done == false), (ids{2, 4}));
  EXPECT_EQ(event_ids(done && day > d1), (ids{3}));
  // A boolean expression selected as a value.
  EXPECT_EQ(column_of<bool>(select(eid > 2).order_by(eid)), (std::vector<bool>{false, false, true, true}));
  EXPECT_EQ(column_of<bool>(select(done).order_by(eid)), (std::vector<bool>{true, false, true, false}));
  // Dates and timestamps compare, range and sort as time, not as text.
  EXPECT_EQ(event_ids(day < d2), (ids{1}));
  EXPECT_EQ(event_ids(day.between(d1, d2)), (ids{1, 2}));
  EXPECT_EQ(event_ids(at > t1), (ids{2}));
  EXPECT_EQ(event_ids(at == t1), (ids{1}));
  EXPECT_EQ(event_ids(at.between(timestamp{sys_days{2024y / 1 / 31}}, timestamp{sys_days{2024y / 2 / 1}})),
            (ids{1, 2}));
  EXPECT_EQ(column_of<std::optional<date>>(select(max(day))), (std::vector<std::optional<date>>{d3}));
  EXPECT_EQ(column_of<std::optional<timestamp>>(select(min(at))),
            (std::vector<std::optional<timestamp>>{t1}));
  EXPECT_EQ(column_of<int64_t>(select(eid).where(day.is_not_null()).order_by(desc(day))), (ids{3, 2, 1}));
}

TEST_P(expressions, upsert_on_conflict) {
  if (!engine().dialect().capabilities().upsert) GTEST_SKIP() << "no INSERT ... ON CONFLICT";
  auto conn = engine().connect();
  auto again = insert(people).value(id, 1).value(name, "Alicia").value(age, opt_i64(31));
  EXPECT_EQ(conn.execute(*again.on_conflict_do_nothing(id).node()).rows_affected(), 0);
  conn.execute(*again.on_conflict_do_update(id).on_conflict_set(name, excluded(name)).node());
  conn.execute(*insert(people).value(id, 8).value(name, "Hal").on_conflict_do_nothing(id).node());
  conn.commit();
  using row = std::tuple<int64_t, std::string, opt_i64>;
  // Only the SET columns change: age keeps its old value.
  EXPECT_EQ((fetch<int64_t, std::string, opt_i64>(select(id, name, age).where(id.in_({1, 8})).order_by(id))),
            (std::vector<row>{{1, "Alicia", 30}, {8, "Hal", std::nullopt}}));
}

RELATE_INSTANTIATE_BACKENDS(expressions);

}  // namespace
}  // namespace relate::testing
