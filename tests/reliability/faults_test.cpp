// SPDX-License-Identifier: MIT
// Faults, and what the caller sees: a PostgreSQL backend killed in the middle
// of a transaction (pg_terminate_backend from another connection), a server
// that is down or never answers at connect time, and SQLite files that cannot
// be opened or written (missing or read-only directory, read-only file,
// locked database).  Each gives an operational_error that names the cause, no
// partial data, and an engine whose next connection works.
#include "reliability_support.hpp"
#include "text.hpp"

#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>

namespace relate::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

struct entry {
  std::int64_t id{};
  std::int64_t amount{};
};
inline auto relate_mapping(relate::model<entry>) {
  using namespace relate::orm;
  return table<entry>("ledger", column(&entry::id, "id", primary_key), column(&entry::amount, "amount"));
}

// ---- PostgreSQL: a backend killed under a connection --------------------------------

class postgresql_killed_backend : public backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    relate::metadata meta;
    meta.add<entry>();
    meta.create_all(engine());
  }

  // Terminates the backend behind pid from a connection of another engine,
  // and waits until it is gone (the timeout argument, PostgreSQL 14+).
  void kill_backend(std::int64_t pid) {
    auto killer = create_engine(db().url());
    auto conn = killer.connect();
    const std::string sql = "SELECT pg_terminate_backend(" + engine().dialect().placeholder(1) + ", 10000)";
    ASSERT_EQ(conn.execute(sql, {pid}).scalar<bool>(), true);
    conn.commit();
  }

  static std::int64_t backend_pid(relate::connection& conn) {
    return conn.execute("SELECT pg_backend_pid()").scalar<std::int64_t>().value();
  }

  // The terminated backend's error: an operational_error from the driver
  // saying why, in the server's words (57P01) or libpq's (the socket closed).
  static void expect_termination_error(const relate::operational_error& e) {
    EXPECT_EQ(e.driver(), "postgresql");
    const std::string what = e.what();
    EXPECT_TRUE(contains(what, "terminating connection due to administrator command") ||
                contains(what, "server closed the connection unexpectedly") ||
                contains(what, "connection to the server was lost") ||
                contains(what, "no connection to the server"))
        << what;
  }
};

TEST_P(postgresql_killed_backend,
       mid_transaction_is_an_operational_error_with_no_partial_data_and_a_fresh_next_checkout) {
  // pool_size 1: the only pooled connection is the one whose backend dies.
  auto victim = create_engine(db().url(), {.pool_size = 1});
  std::int64_t pid = 0;
  {
    auto conn = victim.connect();
    pid = backend_pid(conn);
    const std::string insert = "INSERT INTO ledger (id, amount) VALUES (" + victim.dialect().placeholder(1) +
                               ", " + victim.dialect().placeholder(2) + ")";
    conn.execute(insert, {1, 100});
    conn.execute(insert, {2, -100});
    kill_backend(pid);
    try {
      conn.execute(insert, {3, 5});
      FAIL() << "a statement on a terminated backend succeeded";
    } catch (const relate::operational_error& e) {
      expect_termination_error(e);
    }
    // The transaction cannot be committed any more, and saying so is an error, not silence.
    EXPECT_THROW(conn.commit(), relate::operational_error);
  }  // back to the pool, which must drop it

  EXPECT_EQ(committed_count(engine(), "ledger"), 0) << "none of the killed transaction's rows";
  auto next = victim.connect();
  EXPECT_NE(backend_pid(next), pid) << "the pool handed out the dead connection again";
  next.execute("INSERT INTO ledger (id, amount) VALUES (" + victim.dialect().placeholder(1) + ", 1)", {10});
  next.commit();
  EXPECT_EQ(committed_count(engine(), "ledger"), 1);
}

TEST_P(postgresql_killed_backend, under_a_session_the_commit_fails_clearly_and_the_next_session_works) {
  auto victim = create_engine(db().url(), {.pool_size = 1});
  {
    relate::session s(victim);
    s.add(entry{.id = 1, .amount = 100});
    s.flush();
    const auto pid = backend_pid(s.get_connection());
    s.add(entry{.id = 2, .amount = -100});
    kill_backend(pid);
    try {
      s.commit();
      FAIL() << "commit on a terminated backend succeeded";
    } catch (const relate::operational_error& e) {
      expect_termination_error(e);
    }
    // Leaving the session (rollback included) does not throw from a destructor.
  }
  EXPECT_EQ(committed_count(engine(), "ledger"), 0);
  relate::session t(victim);
  t.add(entry{.id = 3, .amount = 7});
  t.commit();
  EXPECT_EQ(committed_count(engine(), "ledger"), 1);
}

// session.hpp says the session keeps its connection "until commit(),
// rollback() or close()": after a rollback that follows a killed backend, the
// next statement checks out a fresh connection from the pool instead of
// failing on the dead one ("the connection to the server is closed").
TEST_P(postgresql_killed_backend, after_a_rollback_the_session_works_again_on_a_new_connection) {
  auto victim = create_engine(db().url(), {.pool_size = 1});
  relate::session s(victim);
  s.add(entry{.id = 1, .amount = 100});
  s.flush();
  kill_backend(backend_pid(s.get_connection()));
  EXPECT_THROW(s.commit(), relate::operational_error);
  EXPECT_NO_THROW(s.rollback());
  s.add(entry{.id = 2, .amount = 5});
  EXPECT_NO_THROW(s.commit());
  EXPECT_EQ(committed_count(engine(), "ledger"), 1);
}

INSTANTIATE_TEST_SUITE_P(backends, postgresql_killed_backend, ::testing::Values("postgresql"), backend_name);

// ---- PostgreSQL: no server at connect time ------------------------------------------

// A TCP socket on 127.0.0.1 that listens but never accepts: the kernel
// completes the handshake, then nothing ever answers libpq.
class silent_server {
 public:
  silent_server() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(fd_, 16) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.1");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~silent_server() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

class postgresql_unreachable : public ::testing::TestWithParam<std::string> {};

TEST_P(postgresql_unreachable, a_server_that_never_answers_fails_after_the_connect_timeout) {
  silent_server server;
  const std::string port = std::to_string(server.port());
  // libpq counts whole seconds and waits at least 2.
  auto e = create_engine("postgresql://nobody:secret@127.0.0.1:" + port + "/db?sslmode=disable",
                         {.connect_timeout = 2s});
  const auto start = clock_type::now();
  try {
    e.connect();
    FAIL() << "connected to a server that never answers";
  } catch (const relate::operational_error& error) {
    const auto waited = clock_type::now() - start;
    const std::string what = error.what();
    EXPECT_EQ(error.driver(), "postgresql");
    EXPECT_TRUE(contains(what, "timeout expired")) << what;
    EXPECT_TRUE(contains(what, "127.0.0.1")) << what;
    EXPECT_TRUE(contains(what, port)) << what;
    EXPECT_FALSE(contains(what, "secret")) << "the password must not appear: " << what;
    EXPECT_GE(waited, 1500ms) << "gave up before the connect timeout";
    EXPECT_LT(waited, 10s) << "did not honour the connect timeout";
  }
  // The failed connect freed its pool slot: another attempt fails the same way, not with a pool timeout.
  EXPECT_THROW(e.connect(), relate::operational_error);
}

TEST_P(postgresql_unreachable, a_port_nobody_listens_on_is_refused_at_once) {
  std::string port;
  {
    silent_server server;  // a port that was free a moment ago, and is closed again
    port = std::to_string(server.port());
  }
  auto e = create_engine("postgresql://nobody@127.0.0.1:" + port + "/db?sslmode=disable",
                         {.connect_timeout = 10s});
  const auto start = clock_type::now();
  try {
    e.connect();
    FAIL() << "connected to a closed port";
  } catch (const relate::operational_error& error) {
    const std::string what = error.what();
    EXPECT_TRUE(contains(what, "Connection refused")) << what;
    EXPECT_TRUE(contains(what, port)) << what;
    EXPECT_LT(clock_type::now() - start, 5s) << "a refused connection needs no timeout";
  }
}

INSTANTIATE_TEST_SUITE_P(backends, postgresql_unreachable, ::testing::Values("postgresql"), backend_name);

// ---- SQLite: files that cannot be opened or written ---------------------------------

class sqlite_file_faults : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = fs::temp_directory_path() /
           ("relate_faults_" + std::to_string(::getpid()) + "_" + std::to_string(rd()));
    fs::create_directories(dir_);
    // Others (the unprivileged user below) may enter it.
    fs::permissions(dir_, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
  }
  void TearDown() override {
    std::error_code ec;
    for (auto& p : fs::recursive_directory_iterator(dir_, ec))
      fs::permissions(p.path(), fs::perms::owner_all, ec);
    fs::remove_all(dir_, ec);
  }
  std::string url_of(const fs::path& file, const std::string& query = "") const {
    return "sqlite:///" + file.string() + (query.empty() ? "" : "?" + query);
  }

  fs::path dir_;
};

// Root writes into any directory, whatever its mode, so a test of a
// read-only directory drops to the unprivileged `nobody` user first, in a
// child process (a death test) so the rest of the suite keeps its rights.
[[noreturn]] void fail_in_child(const char* what) {
  std::fprintf(stderr, "%s\n", what);
  std::_Exit(2);
}
void become_unprivileged() {
  if (::geteuid() != 0) return;
  if (::setgid(65534) != 0 || ::setuid(65534) != 0) fail_in_child("cannot switch to uid 65534");
  if (::access("/", W_OK) == 0) fail_in_child("still privileged after setuid");
}

TEST_P(sqlite_file_faults, a_missing_directory_is_an_operational_error_naming_it_and_creates_nothing) {
  const fs::path missing = dir_ / "no" / "such";
  auto e = create_engine(url_of(missing / "x.db"));
  try {
    e.connect();
    FAIL() << "opened a database in a missing directory";
  } catch (const relate::operational_error& error) {
    EXPECT_EQ(error.driver(), "sqlite");
    EXPECT_TRUE(contains(error.what(), "directory '" + missing.string() + "' does not exist"))
        << error.what();
  }
  EXPECT_FALSE(fs::exists(dir_ / "no"));
}

TEST_P(sqlite_file_faults, a_read_only_directory_is_an_operational_error_even_for_root) {
  const fs::path locked = dir_ / "locked";
  fs::create_directory(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  auto e = create_engine(url_of(locked / "x.db"));  // loads the plugin before the fork
  EXPECT_EXIT(
      {
        become_unprivileged();
        try {
          e.connect().execute("CREATE TABLE t (x INTEGER)");
          fail_in_child("created a database in a read-only directory");
        } catch (const relate::operational_error& error) {
          std::fprintf(stderr, "%s\n", error.what());
          std::_Exit(0);
        }
      },
      ::testing::ExitedWithCode(0), "directory '.*locked' is not writable");
  EXPECT_FALSE(fs::exists(locked / "x.db"));
}

TEST_P(sqlite_file_faults, an_existing_database_in_a_read_only_directory_reads_but_refuses_writes_clearly) {
  // The file itself is writable; SQLite also needs the directory, for its journal.
  const fs::path locked = dir_ / "locked";
  fs::create_directory(locked);
  {
    auto setup = create_engine(url_of(locked / "x.db")).connect();
    setup.execute("CREATE TABLE t (x INTEGER)");
    setup.execute("INSERT INTO t VALUES (1)");
    setup.commit();
  }
  fs::permissions(locked / "x.db", fs::perms::all);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                              fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
  auto e = create_engine(url_of(locked / "x.db"));
  EXPECT_EXIT(
      {
        become_unprivileged();
        auto conn = e.connect();
        if (conn.execute("SELECT count(*) FROM t").scalar<std::int64_t>() != 1) fail_in_child("cannot read");
        try {
          conn.execute("INSERT INTO t VALUES (2)");
          conn.commit();
          fail_in_child("wrote into a read-only directory");
        } catch (const relate::operational_error& error) {
          std::fprintf(stderr, "%s [%s]\n", error.what(), error.native_code().c_str());
          std::_Exit(0);
        }
      },
      ::testing::ExitedWithCode(0), "SQLITE_READONLY_DIRECTORY.*directory '.*locked' is not writable");
  EXPECT_EQ(create_engine(url_of(locked / "x.db"))
                .connect()
                .execute("SELECT count(*) FROM t")
                .scalar<std::int64_t>(),
            1);
}

TEST_P(sqlite_file_faults, a_read_only_url_reads_and_refuses_writes_keeping_the_data) {
  const fs::path file = dir_ / "ro.db";
  {
    auto setup = create_engine(url_of(file)).connect();
    setup.execute("CREATE TABLE t (x INTEGER)");
    setup.execute("INSERT INTO t VALUES (1)");
    setup.commit();
  }
  auto e = create_engine(url_of(file, "mode=ro"));
  auto conn = e.connect();
  EXPECT_EQ(conn.execute("SELECT count(*) FROM t").scalar<std::int64_t>(), 1);
  try {
    conn.execute("DELETE FROM t");
    FAIL() << "wrote through a read-only connection";
  } catch (const relate::operational_error& error) {
    EXPECT_EQ(error.native_code().rfind("SQLITE_READONLY", 0), 0u) << error.native_code();
    EXPECT_TRUE(contains(error.what(), "readonly")) << error.what();
  }
  conn.rollback();
  EXPECT_EQ(conn.execute("SELECT count(*) FROM t").scalar<std::int64_t>(), 1);
}

TEST_P(sqlite_file_faults,
       a_locked_database_waits_for_the_busy_timeout_then_fails_clearly_and_the_session_recovers) {
  const fs::path file = dir_ / "locked.db";
  {
    relate::metadata meta;
    meta.add<entry>();
    meta.create_all(create_engine(url_of(file)));
  }
  auto holder_engine = create_engine(url_of(file));
  auto holder = holder_engine.connect();
  holder.execute("INSERT INTO ledger (id, amount) VALUES (1, 1)");  // holds the write lock

  auto e = create_engine(url_of(file), {.busy_timeout = 300ms});
  relate::session s(e);
  auto added = s.add(entry{.id = 2, .amount = 2});
  const auto start = clock_type::now();
  try {
    s.commit();
    FAIL() << "wrote past another connection's write lock";
  } catch (const relate::operational_error& error) {
    const auto waited = clock_type::now() - start;
    EXPECT_TRUE(error.retryable());
    EXPECT_EQ(error.native_code().rfind("SQLITE_BUSY", 0), 0u) << error.native_code();
    EXPECT_TRUE(contains(error.what(), "locked")) << error.what();
    EXPECT_GE(waited, 250ms) << "did not wait for the busy timeout";
    EXPECT_LT(waited, 5s) << "waited far longer than the busy timeout";
  }
  EXPECT_EQ(added.status(), relate::object_status::pending);
  holder.rollback();
  // The lock is gone: the same session commits what it had.
  s.commit();
  EXPECT_EQ(added.status(), relate::object_status::persistent);
  EXPECT_EQ(
      create_engine(url_of(file)).connect().execute("SELECT count(*) FROM ledger").scalar<std::int64_t>(), 1);
}

INSTANTIATE_TEST_SUITE_P(backends, sqlite_file_faults, ::testing::Values("sqlite"), backend_name);

}  // namespace
}  // namespace relate::testing
