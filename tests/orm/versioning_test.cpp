// SPDX-License-Identifier: MIT
// Optimistic locking with a version_id column, on every backend: a
// concurrent UPDATE or DELETE of the same row is refused with
// stale_data_error instead of overwriting, and nothing of the refused flush
// stays.
#include "orm_fixture.hpp"

namespace orm_test {
namespace {

using versioning = orm_fixture;

TEST_P(versioning, the_version_starts_at_one_and_counts_updates) {
  relate::session s(engine());
  auto v = s.add(Versioned{.text = "a"});
  s.commit();
  EXPECT_EQ(v->version, 1);
  v->text = "b";
  s.commit();
  EXPECT_EQ(v->version, 2);
  take_statements();
  s.commit();
  EXPECT_EQ(count_starting_with(take_statements(), "UPDATE"), 0u) << "no change, no new version";
  relate::session t(engine());
  EXPECT_EQ(t.query<Versioned>().one()->version, 2);
}

TEST_P(versioning, a_concurrent_update_is_refused_not_overwritten) {
  relate::session setup(engine());
  auto created = setup.add(Versioned{.text = "original"});
  setup.commit();
  const auto id = created->id;

  relate::session first(engine());
  relate::session second(engine());
  auto a = first.get<Versioned>(id);
  auto b = second.get<Versioned>(id);  // both read version 1
  ASSERT_TRUE(a && b);
  // The reader ends its transaction and keeps its objects (as a web request
  // that read a form and writes it back later); SQLite would otherwise
  // keep the writer below waiting for the reader's lock.
  second.commit();
  a->text = "first";
  first.commit();

  b->text = "second";
  try {
    second.commit();
    FAIL() << "expected stale_data_error";
  } catch (const relate::stale_data_error& e) {
    EXPECT_NE(std::string(e.what()).find("another transaction changed or deleted the row"), std::string::npos)
        << e.what();
  }
  EXPECT_EQ(b->version, 1) << "the refused flush left the object as it was";
  EXPECT_EQ(b->text, "second") << "with the program's change still there";
  second.rollback();
  EXPECT_EQ(b->text, "first") << "after rollback the object reloads what the other transaction wrote";
  EXPECT_EQ(b->version, 2);
  b->text = "second, again";
  second.commit();
  relate::session check(engine());
  auto row = check.get<Versioned>(id);
  EXPECT_EQ(row->text, "second, again");
  EXPECT_EQ(row->version, 3);
}

TEST_P(versioning, deleting_a_row_changed_meanwhile_is_refused) {
  relate::session setup(engine());
  auto created = setup.add(Versioned{.text = "x"});
  setup.commit();
  const auto id = created->id;
  relate::session first(engine());
  relate::session second(engine());
  auto a = first.get<Versioned>(id);
  auto b = second.get<Versioned>(id);
  second.commit();  // ends the read transaction, keeps the object
  a->text = "changed";
  first.commit();
  second.remove(b);
  EXPECT_THROW(second.commit(), relate::stale_data_error);
  second.rollback();
  EXPECT_EQ(committed_rows("versioned"), 1);
}

TEST_P(versioning, a_stale_row_among_many_updates_refuses_the_whole_flush) {
  relate::session setup(engine());
  for (int i = 0; i < 300; ++i) setup.add(Versioned{.text = "v" + std::to_string(i)});
  setup.commit();

  relate::session writer(engine());
  auto rows = writer.query<Versioned>().order_by(relate::asc(&Versioned::id)).all();
  ASSERT_EQ(rows.size(), 300u);
  writer.commit();  // ends the read transaction, keeps the objects
  {
    relate::session other(engine());
    other.get<Versioned>(rows[200]->id)->text = "meanwhile";
    other.commit();
  }
  for (auto& r : rows) r->text += " edited";
  take_statements();
  EXPECT_THROW(writer.commit(), relate::stale_data_error);
  EXPECT_EQ(count_starting_with(take_statements(), "UPDATE"), 300u)
      << "one statement per row, the same one: sent as one batch, each row's count checked";
  EXPECT_EQ(rows[0]->version, 1) << "versions bumped for the refused flush are put back";
  EXPECT_EQ(rows[299]->version, 1);
  writer.rollback();

  relate::session check(engine());
  auto after = check.query<Versioned>().order_by(relate::asc(&Versioned::id)).all();
  ASSERT_EQ(after.size(), 300u);
  for (std::size_t i = 0; i < after.size(); ++i) {
    const bool changed_meanwhile = i == 200;
    EXPECT_EQ(after[i]->text, changed_meanwhile ? "meanwhile" : "v" + std::to_string(i)) << i;
    EXPECT_EQ(after[i]->version, changed_meanwhile ? 2 : 1) << i;
  }
  check.commit();  // ends the read (SQLite would keep the writer below waiting)

  // Without the conflict the same batch goes through and every version moves.
  relate::session again(engine());
  auto all = again.query<Versioned>().all();
  for (auto& r : all) r->text += "!";
  again.commit();
  relate::session last(engine());
  EXPECT_EQ(last.query<Versioned>().filter(relate::col(&Versioned::version) == 1).count(), 0);
}

TEST_P(versioning, a_stale_row_among_many_deletes_refuses_the_whole_flush) {
  relate::session setup(engine());
  for (int i = 0; i < 300; ++i) setup.add(Versioned{.text = "v" + std::to_string(i)});
  setup.commit();

  relate::session deleter(engine());
  auto rows = deleter.query<Versioned>().all();
  ASSERT_EQ(rows.size(), 300u);
  deleter.commit();  // ends the read transaction, keeps the objects
  {
    relate::session other(engine());
    other.get<Versioned>(rows[123]->id)->text = "meanwhile";
    other.commit();
  }
  for (auto& r : rows) deleter.remove(r);
  take_statements();
  EXPECT_THROW(deleter.commit(), relate::stale_data_error);
  EXPECT_EQ(count_starting_with(take_statements(), "DELETE"), 300u)
      << "one per row: each row's count checked";
  deleter.rollback();
  EXPECT_EQ(committed_rows("versioned"), 300) << "none of the refused flush's deletes stayed";

  relate::session again(engine());
  for (auto& r : again.query<Versioned>().all()) again.remove(r);
  again.commit();
  EXPECT_EQ(committed_rows("versioned"), 0);
}

RELATE_INSTANTIATE_BACKENDS(versioning);

}  // namespace
}  // namespace orm_test
