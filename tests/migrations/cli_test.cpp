// SPDX-License-Identifier: MIT
// The command line a user links (relate::migrations::main) on every backend:
// autogenerate from the models, upgrade, --sql, check's exit status, current,
// history and downgrade, as the README's workflow runs them.
#include "migration_support.hpp"

#include <relate/migrations/cli.hpp>
#include <relate/relate.hpp>

#include <backends.hpp>

#include <gtest/gtest.h>

#include <sstream>

namespace migration_test {
namespace {

struct shelf_v1 {
  std::int64_t id{};
  std::string title{};
};
inline auto relate_mapping(relate::model<shelf_v1>) {
  using namespace relate::orm;
  return table<shelf_v1>("shelves", column(&shelf_v1::id, "id", primary_key),
                         column(&shelf_v1::title, "title", length(50)));
}
struct shelf_v2 {
  std::int64_t id{};
  std::string title{};
  relate::timestamp created_at{};
  std::int32_t capacity{};
};
inline auto relate_mapping(relate::model<shelf_v2>) {
  using namespace relate::orm;
  return table<shelf_v2>("shelves", column(&shelf_v2::id, "id", primary_key),
                         column(&shelf_v2::title, "title", length(80), relate::orm::index),
                         column(&shelf_v2::created_at, "created_at", server_default_sql("CURRENT_TIMESTAMP")),
                         column(&shelf_v2::capacity, "capacity", server_default(10)));
}

class migration_cli : public relate::testing::backend_test {
 protected:
  struct outcome {
    int status;
    std::string out;
    std::string err;
  };
  outcome run(const relate::metadata& model, std::vector<std::string> args) {
    args.insert(args.begin(), {"migrate", "--url", db().url(), "--dir", folder.path().string()});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream out, err;
    const int status =
        relate::migrations::main(static_cast<int>(argv.size()), argv.data(), model, {}, out, err);
    return {status, out.str(), err.str()};
  }
  scripts_folder folder;
};

TEST_P(migration_cli, autogenerate_upgrade_check_and_downgrade) {
  relate::metadata v1;
  v1.add<shelf_v1>();
  relate::metadata v2;
  v2.add<shelf_v2>();

  auto first = run(v1, {"revision", "--autogenerate", "-m", "shelves"});
  ASSERT_EQ(first.status, 0) << first.err;
  EXPECT_EQ(run(v1, {"check"}).status, 1);  // the table is not there yet
  auto up = run(v1, {"upgrade"});
  ASSERT_EQ(up.status, 0) << up.err;
  EXPECT_NE(up.out.find("upgraded to "), std::string::npos) << up.out;
  auto check = run(v1, {"check"});
  EXPECT_EQ(check.status, 0) << check.out;
  EXPECT_NE(run(v1, {"current"}).out.find("(head)"), std::string::npos);
  EXPECT_NE(run(v1, {"upgrade"}).out.find("nothing to do"), std::string::npos);  // twice is a no-op
  {
    auto conn = engine().connect();
    conn.execute("INSERT INTO shelves (title) VALUES ('kept')");
    conn.commit();
  }

  // The model changes: check says so, with one line per difference, and fails.
  check = run(v2, {"check"});
  EXPECT_EQ(check.status, 1);
  EXPECT_NE(check.out.find("shelves: column \"created_at\" is missing from the database"), std::string::npos)
      << check.out;

  auto second = run(v2, {"revision", "--autogenerate", "-m", "shelves get a creation time"});
  ASSERT_EQ(second.status, 0) << second.err;
  EXPECT_NE(second.out.find("cannot be told apart"), std::string::npos) << second.out;  // the rename note
  std::string script;
  for (const auto& e : std::filesystem::directory_iterator(folder.path()))
    if (e.path().string().find("creation_time") != std::string::npos) {
      std::ifstream in(e.path());
      script.assign(std::istreambuf_iterator<char>(in), {});
    }
  EXPECT_NE(script.find("add_column shelves created_at timestamp not_null default_sql 'CURRENT_TIMESTAMP'"),
            std::string::npos)
      << script;
  EXPECT_NE(script.find("alter_column shelves title type text(80)"), std::string::npos) << script;
  EXPECT_NE(script.find("create_index shelves ix_shelves_title (title)"), std::string::npos) << script;
  EXPECT_NE(script.find("# A renamed table or column cannot be told apart"), std::string::npos) << script;

  // Offline: the SQL, and nothing run.
  const auto current_before = run(v2, {"current"}).out;
  auto offline = run(v2, {"upgrade", "--sql"});
  ASSERT_EQ(offline.status, 0) << offline.err;
  EXPECT_NE(offline.out.find("created_at"), std::string::npos) << offline.out;
  EXPECT_NE(offline.out.find("INSERT INTO \"relate_version\""), std::string::npos) << offline.out;
  EXPECT_EQ(run(v2, {"current"}).out, current_before);

  ASSERT_EQ(run(v2, {"upgrade"}).status, 0);
  check = run(v2, {"check"});
  EXPECT_EQ(check.status, 0) << check.out;
  EXPECT_EQ(rows_of(engine(), "SELECT title, capacity FROM shelves"), std::vector<std::string>{"'kept'|10|"});
  const auto history = run(v2, {"history"}).out;
  EXPECT_NE(history.find("shelves get a creation time  (current)"), std::string::npos) << history;

  ASSERT_EQ(run(v2, {"downgrade", "-1"}).status, 0);
  EXPECT_EQ(run(v1, {"check"}).status, 0);
  EXPECT_EQ(rows_of(engine(), "SELECT title FROM shelves"), std::vector<std::string>{"'kept'|"});
}

TEST_P(migration_cli, usage_mistakes_exit_with_status_2) {
  relate::metadata v1;
  v1.add<shelf_v1>();
  EXPECT_EQ(run(v1, {}).status, 2);
  EXPECT_EQ(run(v1, {"frobnicate"}).status, 2);
  EXPECT_EQ(run(v1, {"revision"}).status, 2);  // no -m
  EXPECT_EQ(run(v1, {"upgrade", "--bogus"}).status, 2);
  EXPECT_EQ(run(v1, {"upgrade", "no_such_id"}).status, 1);
}

RELATE_INSTANTIATE_BACKENDS(migration_cli);

}  // namespace
}  // namespace migration_test
