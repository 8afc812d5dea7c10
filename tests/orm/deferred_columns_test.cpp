// SPDX-License-Identifier: MIT
// Deferred columns: relate::defer / undefer / load_only and the mapping's
// `deferred` leave columns out of the SELECT, and a column that was not
// loaded is never written by the flush (never blanked in the database).
#include "orm_fixture.hpp"

#include <algorithm>

namespace orm_test {
namespace {

struct Paper;
struct Shelf {
  std::int64_t id{};
  std::string label{};
  relate::many<Paper> papers{};
};

struct Paper {
  std::int64_t id{};
  std::string title{};
  std::string body{};                    // large: deferred per query
  std::optional<std::string> summary{};  // large too
  relate::blob scan{};                   // deferred by the mapping
  std::int64_t version{};
  std::optional<std::int64_t> shelf_id{};
  relate::one<Shelf> shelf{};
};

inline auto relate_mapping(relate::model<Shelf>) {
  using namespace relate::orm;
  return table<Shelf>("shelves", column(&Shelf::id, "id", primary_key), column(&Shelf::label, "label"),
                      relationship(&Shelf::papers, back_populates(&Paper::shelf), order_by(&Paper::id)));
}

inline auto relate_mapping(relate::model<Paper>) {
  using namespace relate::orm;
  return table<Paper>("papers", column(&Paper::id, "id", primary_key), column(&Paper::title, "title"),
                      column(&Paper::body, "body"), column(&Paper::summary, "summary"),
                      column(&Paper::scan, "scan", deferred), column(&Paper::version, "version", version_id),
                      column(&Paper::shelf_id, "shelf_id", foreign_key(&Shelf::id)),
                      relationship(&Paper::shelf, back_populates(&Shelf::papers)));
}

const relate::blob scan_bytes{std::byte{1}, std::byte{2}, std::byte{3}};

class deferred_columns : public orm_fixture {
 protected:
  void SetUp() override {
    orm_fixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::metadata papers;
    papers.add<Shelf, Paper>();
    papers.create_all(engine());
    relate::session s(engine());
    auto shelf = s.add(Shelf{.label = "A"});
    for (int i = 1; i <= 3; ++i)
      shelf->papers.push_back(Paper{.title = "paper " + std::to_string(i),
                                    .body = "body " + std::to_string(i),
                                    .summary = "summary " + std::to_string(i),
                                    .scan = scan_bytes});
    s.commit();
    shelf_id = shelf->id;
    first_id = shelf->papers[0].id;
    take_statements();
  }

  /// The statements since the last call that start with `prefix`.
  std::vector<std::string> taken(std::string_view prefix) {
    auto all = take_statements();
    std::erase_if(all, [&](const std::string& s) { return s.rfind(prefix, 0) != 0; });
    return all;
  }
  static bool names(const std::string& sql, std::string_view column) {
    return sql.find(column) != std::string::npos;
  }
  /// What the database holds, read on another connection.
  struct row {
    std::string title, body;
    std::optional<std::string> summary;
    relate::blob scan;
  };
  row committed_row(std::int64_t id) {
    relate::session other(engine());
    auto p = other.query<Paper>().filter_by(&Paper::id, id).options(relate::undefer(&Paper::scan)).one();
    return {p->title, p->body, p->summary, p->scan};
  }

  std::int64_t shelf_id = 0;
  std::int64_t first_id = 0;
};

TEST_P(deferred_columns, defer_leaves_the_column_out_of_the_select) {
  relate::session s(engine());
  auto papers = s.query<Paper>().options(relate::defer(&Paper::body)).order_by(&Paper::id).all();
  auto selects = taken("SELECT");
  ASSERT_EQ(selects.size(), 1u);
  EXPECT_FALSE(names(selects[0], "body")) << selects[0];
  EXPECT_FALSE(names(selects[0], "scan")) << "the mapping defers it: " << selects[0];
  EXPECT_TRUE(names(selects[0], "title")) << selects[0];
  ASSERT_EQ(papers.size(), 3u);
  EXPECT_EQ(papers[0]->title, "paper 1");
  EXPECT_EQ(papers[0]->body, "") << "value-initialised";
  EXPECT_EQ(papers[0]->summary, "summary 1");
  EXPECT_TRUE(papers[0]->scan.empty());
}

TEST_P(deferred_columns, a_column_that_was_not_loaded_is_never_written) {
  relate::session s(engine());
  auto p = s.query<Paper>().filter_by(&Paper::id, first_id).options(relate::defer(&Paper::body)).one();
  EXPECT_FALSE(s.has_changes());
  p->title = "retitled";
  take_statements();
  s.commit();
  auto updates = taken("UPDATE");
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_TRUE(names(updates[0], "title")) << updates[0];
  EXPECT_FALSE(names(updates[0], "body")) << updates[0];
  EXPECT_FALSE(names(updates[0], "scan")) << updates[0];
  const auto row = committed_row(first_id);
  EXPECT_EQ(row.title, "retitled");
  EXPECT_EQ(row.body, "body 1") << "the deferred column keeps its value";
  EXPECT_EQ(row.scan, scan_bytes);
}

TEST_P(deferred_columns, assigning_a_deferred_member_writes_it) {
  relate::session s(engine());
  auto p = s.query<Paper>().filter_by(&Paper::id, first_id).options(relate::defer(&Paper::body)).one();
  p->body = "rewritten";
  s.commit();
  EXPECT_EQ(committed_row(first_id).body, "rewritten");
  take_statements();
  s.commit();
  EXPECT_TRUE(taken("UPDATE").empty()) << "written once; the member now holds what the database holds";
}

TEST_P(deferred_columns, load_only_loads_the_key_the_keys_and_the_named_columns) {
  relate::session s(engine());
  auto p = s.query<Paper>().filter_by(&Paper::id, first_id).options(relate::load_only(&Paper::title)).one();
  auto selects = taken("SELECT");
  ASSERT_EQ(selects.size(), 1u);
  for (auto column : {"title", "version", "shelf_id"}) EXPECT_TRUE(names(selects[0], column)) << selects[0];
  for (auto column : {"body", "summary", "scan"}) EXPECT_FALSE(names(selects[0], column)) << selects[0];
  EXPECT_EQ(p->id, first_id);
  EXPECT_EQ(p->shelf_id, shelf_id) << "foreign keys are always loaded";
  EXPECT_EQ(p->summary, std::nullopt);
  p->title = "only the title";
  s.commit();
  const auto row = committed_row(first_id);
  EXPECT_EQ(row.title, "only the title");
  EXPECT_EQ(row.body, "body 1");
  EXPECT_EQ(row.summary, "summary 1") << "an unloaded optional is not written as NULL";
  EXPECT_EQ(row.scan, scan_bytes);
}

TEST_P(deferred_columns, load_deferred_reads_what_is_missing_and_keeps_changes) {
  relate::session s(engine());
  auto p = s.query<Paper>()
               .filter_by(&Paper::id, first_id)
               .options(relate::defer(&Paper::body, &Paper::summary))
               .one();
  p->title = "changed";
  p->body = "assigned before loading";
  take_statements();
  s.load_deferred(p);
  auto selects = taken("SELECT");
  ASSERT_EQ(selects.size(), 1u);
  EXPECT_FALSE(names(selects[0], "title")) << "only the missing columns: " << selects[0];
  EXPECT_TRUE(names(selects[0], "summary")) << selects[0];
  EXPECT_EQ(p->summary, "summary 1");
  EXPECT_EQ(p->scan, scan_bytes) << "the mapping's deferred column too";
  EXPECT_EQ(p->title, "changed");
  EXPECT_EQ(p->body, "assigned before loading") << "an assignment is kept";
  s.load_deferred(p);
  EXPECT_TRUE(take_statements().empty()) << "nothing is missing any more";
  s.commit();
  const auto row = committed_row(first_id);
  EXPECT_EQ(row.title, "changed");
  EXPECT_EQ(row.body, "assigned before loading");
  EXPECT_EQ(row.summary, "summary 1");
}

TEST_P(deferred_columns, the_mappings_deferred_column_stays_out_of_get_until_undeferred) {
  relate::session s(engine());
  auto p = s.get<Paper>(first_id);
  auto selects = taken("SELECT");
  ASSERT_EQ(selects.size(), 1u);
  EXPECT_FALSE(names(selects[0], "scan")) << selects[0];
  EXPECT_TRUE(p->scan.empty());
  // A query that reads the column fills it into the object the session has.
  auto again = s.query<Paper>().filter_by(&Paper::id, first_id).options(relate::undefer(&Paper::scan)).one();
  EXPECT_EQ(again, p);
  EXPECT_EQ(p->scan, scan_bytes);
  p->title = "x";
  s.commit();
  EXPECT_EQ(committed_row(first_id).scan, scan_bytes);
}

TEST_P(deferred_columns, a_later_plain_query_fills_what_a_deferred_one_left_out) {
  relate::session s(engine());
  auto p = s.query<Paper>().filter_by(&Paper::id, first_id).options(relate::defer(&Paper::body)).one();
  p->summary = "changed meanwhile";
  s.query<Paper>().filter_by(&Paper::id, first_id).one();
  EXPECT_EQ(p->body, "body 1");
  EXPECT_EQ(p->summary, "changed meanwhile") << "a loaded column keeps the identity map's value";
  take_statements();
  s.load_deferred(p);
  EXPECT_EQ(taken("SELECT").size(), 1u) << "the mapping's deferred scan is still missing";
}

TEST_P(deferred_columns, refresh_reads_every_column) {
  relate::session s(engine());
  auto p = s.query<Paper>().filter_by(&Paper::id, first_id).options(relate::load_only(&Paper::title)).one();
  s.refresh(p);
  EXPECT_EQ(p->body, "body 1");
  EXPECT_EQ(p->summary, "summary 1");
  EXPECT_EQ(p->scan, scan_bytes);
  take_statements();
  s.load_deferred(p);
  EXPECT_TRUE(take_statements().empty());
}

TEST_P(deferred_columns, an_expired_object_reloads_without_the_mappings_deferred_columns) {
  relate::session s(engine());
  auto p = s.query<Paper>().filter_by(&Paper::id, first_id).options(relate::undefer(&Paper::scan)).one();
  ASSERT_EQ(p->scan, scan_bytes);
  s.rollback();
  EXPECT_EQ(p->title, "paper 1");
  EXPECT_TRUE(p->scan.empty()) << "the reload reads what the mapping loads";
  p->title = "after the rollback";
  s.commit();
  EXPECT_EQ(committed_row(first_id).scan, scan_bytes);
}

TEST_P(deferred_columns, relationship_loads_leave_out_the_targets_deferred_columns) {
  relate::session s(engine());
  auto shelf = s.query<Shelf>().options(relate::selectinload(&Shelf::papers)).one();
  auto selects = taken("SELECT");
  ASSERT_EQ(selects.size(), 2u);
  EXPECT_FALSE(names(selects[1], "scan")) << selects[1];
  ASSERT_EQ(shelf->papers.size(), 3u);
  EXPECT_EQ(shelf->papers[2].body, "body 3");
  EXPECT_TRUE(shelf->papers[2].scan.empty());

  relate::session joined(engine());
  auto j = joined.query<Shelf>().options(relate::joinedload(&Shelf::papers)).limit(1).one();
  selects = taken("SELECT");
  ASSERT_EQ(selects.size(), 1u);
  EXPECT_FALSE(names(selects[0], "scan")) << selects[0];
  ASSERT_EQ(j->papers.size(), 3u);
  EXPECT_EQ(j->papers[1].title, "paper 2");

  s.close();  // SQLite: no reader may hold the database while `lazy` commits
  joined.close();
  relate::session lazy(engine());
  auto l = lazy.get<Shelf>(shelf_id);
  EXPECT_EQ(l->papers.size(), 3u);
  selects = taken("SELECT");
  ASSERT_EQ(selects.size(), 2u);
  EXPECT_FALSE(names(selects[1], "scan")) << selects[1];
  l->papers[0].title = "through the shelf";
  lazy.commit();
  EXPECT_EQ(committed_row(first_id).scan, scan_bytes);
}

TEST_P(deferred_columns, deferred_root_columns_with_a_joined_collection_under_a_limit) {
  relate::session s(engine());
  // The LIMIT moves into a subquery; the outer SELECT reads only the loaded columns from it.
  auto papers = s.query<Paper>()
                    .options(relate::defer(&Paper::body), relate::joinedload(&Paper::shelf))
                    .order_by(&Paper::id)
                    .limit(2)
                    .all();
  ASSERT_EQ(papers.size(), 2u);
  EXPECT_EQ(papers[1]->title, "paper 2");
  EXPECT_EQ(papers[1]->body, "");
  EXPECT_EQ(papers[1]->shelf->label, "A");
  relate::session t(engine());
  auto shelves = t.query<Shelf>()
                     .options(relate::load_only(&Shelf::id), relate::joinedload(&Shelf::papers))
                     .limit(1)
                     .all();
  ASSERT_EQ(shelves.size(), 1u);
  EXPECT_EQ(shelves[0]->label, "");
  EXPECT_EQ(shelves[0]->papers.size(), 3u);
}

TEST_P(deferred_columns, streams_and_scans_take_column_options) {
  relate::session s(engine());
  std::size_t n = 0;
  for (const auto& p :
       s.query<Paper>().options(relate::load_only(&Paper::title)).order_by(&Paper::id).stream()) {
    EXPECT_EQ(p->body, "");
    EXPECT_EQ(p->title, "paper " + std::to_string(++n));
  }
  EXPECT_EQ(n, 3u);
  for (const auto& p : s.query<Paper>().options(relate::defer(&Paper::title)).order_by(&Paper::id).scan())
    EXPECT_EQ(p->title, "");
}

TEST_P(deferred_columns, defer_refuses_the_columns_every_load_needs) {
  relate::session s(engine());
  for (auto make :
       {+[](relate::session& x) { x.query<Paper>().options(relate::defer(&Paper::id)).all(); },
        +[](relate::session& x) { x.query<Paper>().options(relate::defer(&Paper::version)).all(); },
        +[](relate::session& x) { x.query<Paper>().options(relate::defer(&Paper::shelf_id)).all(); }}) {
    try {
      make(s);
      ADD_FAILURE() << "expected usage_error";
    } catch (const relate::usage_error& e) {
      EXPECT_NE(std::string(e.what()).find("cannot be deferred"), std::string::npos) << e.what();
    }
  }
  EXPECT_TRUE(take_statements().empty()) << "refused before any SQL";
}

RELATE_INSTANTIATE_BACKENDS(deferred_columns);

}  // namespace
}  // namespace orm_test
