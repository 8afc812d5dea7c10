// SPDX-License-Identifier: MIT
// Misuses of the mapping and query API that must not compile.  Each case is
// built on its own (RELATE_CASE_<name>) by CMakeLists.txt next to this file,
// which checks that the build fails with relate's own diagnostic.  The case
// "valid" is the control: the same setup, correct use, must compile.
#include <relate/orm.hpp>

#include <cstdint>
#include <string>

struct User {
  std::int64_t id{};
  std::string name{};
  float unsupported{};
};
struct Other {
  std::int64_t id{};
};
struct Unmapped {
  std::int64_t id{};
};

#if defined(RELATE_CASE_unsupported_member_type)
inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key), column(&User::unsupported, "f"));
}
#elif defined(RELATE_CASE_column_of_another_struct)
inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key), column(&Other::id, "other"));
}
#elif defined(RELATE_CASE_default_fn_wrong_type)
inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key),
                     column(&User::name, "name", default_fn([] { return 42; })));
}
#else
inline auto relate_mapping(relate::model<User>) {
  using namespace relate::orm;
  return table<User>("users", column(&User::id, "id", primary_key), column(&User::name, "name"));
}
#endif

void use(relate::session& s) {
#if defined(RELATE_CASE_valid)
  auto q = s.query<User>().filter_by(&User::name, "x").filter(relate::col(&User::id) > 3).all();
  (void)q;
#elif defined(RELATE_CASE_unsupported_member_type) || defined(RELATE_CASE_column_of_another_struct) || \
    defined(RELATE_CASE_default_fn_wrong_type)
  (void)relate::orm::mapper_of<User>();
#elif defined(RELATE_CASE_type_without_mapping)
  (void)s.query<Unmapped>();
#elif defined(RELATE_CASE_filter_by_wrong_type)
  (void)s.query<User>().filter_by(&User::name, 42);
#elif defined(RELATE_CASE_compare_string_member_with_int)
  (void)(relate::col(&User::name) == 5);
#endif
  (void)s;
}
