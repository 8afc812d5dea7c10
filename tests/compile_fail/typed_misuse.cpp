// SPDX-License-Identifier: MIT
// Misuses of the typed SQL API that must not compile.  Each case is built on
// its own (RELATE_CASE_<name>) by tests/compile_fail/CMakeLists.txt, which
// checks that the build fails with relate's own diagnostic.  The case
// "valid" is the control: the same setup, correct use, must compile.
#include <relate/sql/statements.hpp>

#include <optional>
#include <string>

using namespace relate::sql;

int main() {
  auto users = table("users");
  column<std::int64_t> id(users, "id");
  column<std::string> name(users, "name");
  column<relate::timestamp> created(users, "created");
  column<std::optional<std::int64_t>> parent(users, "parent");
#if defined(RELATE_CASE_valid)
  auto q = select(name, count().label("n"))
               .where((name == "x" || id > 3) && name.like("J%") && id.in_({1, 2}) && parent == std::nullopt)
               .group_by(name);
  auto i = insert(users).value(name, "John").value(parent, std::nullopt);
  auto u = update(users).set(id, id + 1).where(created.is_not_null());
  auto f = select(round(id, 1), length(name), extract(datetime_field::year, created), abs(parent), now());
  (void)f;
  (void)q;
  (void)i;
  (void)u;
#elif defined(RELATE_CASE_string_column_equals_int)
  auto e = name == 5;
#elif defined(RELATE_CASE_int_column_less_than_string)
  auto e = id < std::string("5");
#elif defined(RELATE_CASE_timestamp_equals_string)
  auto e = created == "2024-01-01";
#elif defined(RELATE_CASE_string_plus_int)
  auto e = name + 1;
#elif defined(RELATE_CASE_int_times_string_column)
  auto e = 3 * name;
#elif defined(RELATE_CASE_like_on_integer)
  auto e = id.like("1%");
#elif defined(RELATE_CASE_and_of_non_boolean)
  auto e = id && (name == "x");
#elif defined(RELATE_CASE_in_with_wrong_values)
  auto e = name.in_({1, 2});
#elif defined(RELATE_CASE_where_not_boolean)
  auto e = select(name).where(id);
#elif defined(RELATE_CASE_insert_wrong_type)
  auto e = insert(users).value(name, 42);
#elif defined(RELATE_CASE_set_null_on_non_optional)
  auto e = update(users).set(id, std::nullopt);
#elif defined(RELATE_CASE_sum_of_strings)
  auto e = sum(name);
#elif defined(RELATE_CASE_round_of_string)
  auto e = round(name, 2);
#elif defined(RELATE_CASE_length_of_number)
  auto e = length(id);
#elif defined(RELATE_CASE_extract_of_number)
  auto e = extract(datetime_field::year, id);
#elif defined(RELATE_CASE_values_count_mismatch)
  auto e = insert(users).columns(id, name).values(1);
#else
#error "no RELATE_CASE_<name> defined"
#endif
#if !defined(RELATE_CASE_valid)
  (void)e;
#endif
}
