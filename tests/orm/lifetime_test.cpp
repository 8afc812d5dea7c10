// SPDX-License-Identifier: MIT
// A query or a stream that outlives its session (or outlives a move of it)
// raises detached_instance_error instead of reading freed memory (issue 13).
#include "orm_fixture.hpp"

#include <optional>

namespace orm_test {
namespace {

using lifetime = orm_fixture;

TEST_P(lifetime, a_stream_used_after_its_session_is_destroyed_is_a_detached_instance_error) {
  {
    relate::session s(engine());
    for (int i = 0; i < 3; ++i) s.add(User{.name = "u" + std::to_string(i)});
    s.commit();
  }
  auto s = std::make_unique<relate::session>(engine());
  auto stream = s->query<User>().stream();
  auto it = stream.begin();
  ASSERT_TRUE(it != stream.end());
  s.reset();
  EXPECT_THROW(++it, relate::detached_instance_error);
}

TEST_P(lifetime, a_query_used_after_its_session_is_destroyed_is_a_detached_instance_error) {
  std::optional<relate::orm::query<User>> q;
  {
    relate::session s(engine());
    q.emplace(s.query<User>());
  }
  EXPECT_THROW(q->all(), relate::detached_instance_error);
  EXPECT_THROW(q->stream(), relate::detached_instance_error);
}

TEST_P(lifetime, a_query_made_before_its_session_moved_still_works) {
  relate::session s(engine());
  s.add(User{.name = "kept"});
  s.commit();
  auto q = s.query<User>();
  relate::session moved(std::move(s));
  EXPECT_EQ(q.all().size(), 1u);
}

RELATE_INSTANTIATE_BACKENDS(lifetime);

}  // namespace
}  // namespace orm_test
