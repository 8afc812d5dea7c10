// SPDX-License-Identifier: MIT
// A flush is atomic on every backend: when anything fails in the middle of
// one (a constraint violated by the 3rd of 5 rows, an exception thrown by
// application code while the flush runs), none of the flush stays in the
// database, not even statements that had already succeeded, and the session
// is left as it was before the flush: objects still pending or dirty, ready
// to be fixed and committed.
#include "reliability_support.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace relate::testing {
namespace {

// Counts down the calls of the client default below; when it reaches zero
// the default throws, as application code may in the middle of a flush.
std::atomic<int> calls_until_default_throws{-1};

std::string make_note() {
  if (calls_until_default_throws.load() > 0 && --calls_until_default_throws == 0)
    throw std::runtime_error("the client default failed");
  return "noted";
}

struct owner {
  std::int64_t id{};
  std::string name{};
};
inline auto relate_mapping(relate::model<owner>) {
  using namespace relate::orm;
  return table<owner>("owners", column(&owner::id, "id", primary_key), column(&owner::name, "name"));
}

struct account {
  std::int64_t id{};
  std::int64_t owner_id{};
  std::string email{};
  std::string note{};
};
inline auto relate_mapping(relate::model<account>) {
  using namespace relate::orm;
  return table<account>("accounts", column(&account::id, "id", primary_key),
                        column(&account::owner_id, "owner_id", foreign_key(&owner::id)),
                        column(&account::email, "email", unique),
                        column(&account::note, "note", default_fn(&make_note)));
}

class flush_atomicity : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    calls_until_default_throws = -1;
    meta.add<owner, account>();
    meta.create_all(engine());
  }
  void TearDown() override {
    calls_until_default_throws = -1;
    backend_test::TearDown();
  }

  // Rows as the session's own connection sees them, inside its transaction:
  // what the failed flush left behind there (a second connection would only
  // see committed rows anyway).
  static std::int64_t rows_in_transaction(relate::session& s, const std::string& table) {
    return s.get_connection().execute("SELECT count(*) FROM " + table).scalar<std::int64_t>().value_or(-1);
  }

  // The owner goes first (accounts reference it); then five accounts, every
  // other one with an explicit key, so the accounts go in more than one
  // INSERT statement whatever the backend batches.
  std::vector<relate::ptr<account>> add_owner_and_accounts(relate::session& s, relate::ptr<owner>& o,
                                                           const std::string& third_email) {
    o = s.add(owner{.id = 7, .name = "the owner"});
    std::vector<relate::ptr<account>> accounts;
    for (int i = 0; i < 5; ++i) {
      account a{.owner_id = 7, .email = i == 2 ? third_email : "a" + std::to_string(i) + "@x"};
      if (i % 2) a.id = 100 + i;
      accounts.push_back(s.add(a));
    }
    return accounts;
  }

  // After a failed flush: nothing of it in the database, on the session's
  // connection or any other; every object still pending with what the flush
  // generated (keys, client defaults) taken back.
  void expect_flush_undone(relate::session& s, const relate::ptr<owner>& o,
                           const std::vector<relate::ptr<account>>& accounts) {
    EXPECT_EQ(rows_in_transaction(s, "owners"), 0) << "the owner's INSERT, which had succeeded, is undone";
    EXPECT_EQ(rows_in_transaction(s, "accounts"), 0);
    EXPECT_EQ(committed_count(engine(), "owners"), 0);
    EXPECT_EQ(committed_count(engine(), "accounts"), 0);
    EXPECT_EQ(o.status(), relate::object_status::pending);
    for (std::size_t i = 0; i < accounts.size(); ++i) {
      SCOPED_TRACE(i);
      EXPECT_EQ(accounts[i].status(), relate::object_status::pending);
      EXPECT_EQ(accounts[i]->id, i % 2 ? static_cast<std::int64_t>(100 + i) : 0)
          << "generated keys are taken back, given ones kept";
      EXPECT_EQ(accounts[i]->note, "") << "client defaults are taken back";
    }
    EXPECT_TRUE(s.has_changes());
  }

  // Commits and checks the database holds exactly one owner and the five
  // accounts, each with its own key and default.
  void expect_commit_writes_everything_once(relate::session& s,
                                            const std::vector<relate::ptr<account>>& accounts) {
    s.commit();
    EXPECT_EQ(committed_count(engine(), "owners"), 1) << "the owner is inserted once, not once per flush";
    EXPECT_EQ(committed_count(engine(), "accounts"), 5);
    relate::session other(engine());
    for (const auto& a : accounts) {
      EXPECT_EQ(a.status(), relate::object_status::persistent);
      EXPECT_GT(a->id, 0);
      EXPECT_EQ(a->note, "noted");
      auto back = other.get<account>(a->id);
      ASSERT_TRUE(back);
      EXPECT_EQ(back->email, a->email);
      EXPECT_EQ(back->note, "noted");
    }
  }

  relate::metadata meta;
};

TEST_P(flush_atomicity, a_constraint_violated_by_the_third_of_five_rows_undoes_the_whole_flush) {
  relate::session s(engine());
  relate::ptr<owner> o;
  auto accounts = add_owner_and_accounts(s, o, "a0@x");  // the 3rd repeats the 1st's e-mail
  EXPECT_THROW(s.flush(), relate::integrity_error);
  expect_flush_undone(s, o, accounts);

  // The same flush fails the same way: the session did not lose track.
  EXPECT_THROW(s.flush(), relate::integrity_error);
  expect_flush_undone(s, o, accounts);

  accounts[2]->email = "a2@x";
  expect_commit_writes_everything_once(s, accounts);
}

TEST_P(flush_atomicity, an_exception_from_application_code_in_the_middle_of_a_flush_undoes_it) {
  relate::session s(engine());
  relate::ptr<owner> o;
  auto accounts = add_owner_and_accounts(s, o, "a2@x");
  calls_until_default_throws = 3;  // the 3rd account's default throws, after the owner's INSERT
  try {
    s.commit();
    FAIL() << "the flush did not fail";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "the client default failed") << "the application's own exception comes through";
  }
  expect_flush_undone(s, o, accounts);
  expect_commit_writes_everything_once(s, accounts);
}

TEST_P(flush_atomicity, a_failed_flush_of_updates_and_deletes_keeps_them_pending) {
  relate::session s(engine());
  s.add(owner{.id = 1, .name = "one"});
  auto a = s.add(account{.owner_id = 1, .email = "a@x"});
  auto b = s.add(account{.owner_id = 1, .email = "b@x"});
  auto c = s.add(account{.owner_id = 1, .email = "c@x"});
  s.commit();

  a->email = "a2@x";  // fine
  s.remove(c);        // fine
  b->email = "a2@x";  // collides with a's new e-mail
  EXPECT_THROW(s.flush(), relate::integrity_error);
  // In the transaction, nothing changed: a keeps its old e-mail, c is still there.
  auto& conn = s.get_connection();
  const std::string ph = engine().dialect().placeholder(1);
  // (Which UPDATE fails depends on the order the flush takes; neither stays.)
  EXPECT_EQ(conn.execute("SELECT email FROM accounts WHERE id = " + ph, {a->id}).scalar<std::string>(),
            "a@x");
  EXPECT_EQ(conn.execute("SELECT email FROM accounts WHERE id = " + ph, {b->id}).scalar<std::string>(),
            "b@x");
  EXPECT_EQ(rows_in_transaction(s, "accounts"), 3);
  EXPECT_EQ(c.status(), relate::object_status::persistent) << "c is still only marked for deletion";

  b->email = "b2@x";
  s.commit();
  relate::session other(engine());
  EXPECT_EQ(other.get<account>(a->id)->email, "a2@x");
  EXPECT_EQ(other.get<account>(b->id)->email, "b2@x");
  EXPECT_FALSE(other.get<account>(c->id));
  EXPECT_EQ(committed_count(engine(), "accounts"), 2);
}

TEST_P(flush_atomicity, a_query_after_a_failed_flush_sees_the_database_as_before_it) {
  relate::session s(engine());
  s.add(owner{.id = 1, .name = "kept"});
  s.commit();
  s.add(owner{.id = 2, .name = "new"});
  s.add(account{.owner_id = 99, .email = "orphan@x"});  // no owner 99: a foreign key violation
  EXPECT_THROW(s.flush(), relate::integrity_error);
  // Without autoflush (which would run the failing flush again), the session
  // reads the database as it was before the flush.
  relate::session reader(engine(), {.autoflush = false});
  EXPECT_EQ(reader.query<owner>().count(), 1);
  EXPECT_EQ(rows_in_transaction(s, "owners"), 1);
  s.rollback();
  EXPECT_EQ(committed_count(engine(), "owners"), 1);
  EXPECT_EQ(s.query<owner>().count(), 1) << "after rollback the session works normally";
}

RELATE_INSTANTIATE_BACKENDS(flush_atomicity);

}  // namespace
}  // namespace relate::testing
