// SPDX-License-Identifier: MIT
// Fuzz target: a streamed result with other statements run on its connection
// between rows (issue 13).  The input bytes choose how many rows the stream
// has (up to ~3,000, more than one PostgreSQL FETCH batch) and, row by row,
// what runs in between: a query, a second stream read partway, a savepoint
// released or rolled back, a commit.  Backends: SQLite (a temporary file),
// and PostgreSQL too when RELATE_TEST_POSTGRES_URL is set (as under
// scripts/with-postgres.sh).
//
// What must hold: the stream gives 1, 2, ..., n in order and then ends.  A
// read may instead raise an operational_error saying the stream cannot be
// read further, but only after a commit or rollback that ended the
// transaction it was opened in, and only on a backend whose cursors end with
// it.  A stream that ends early without an error is the bug this target is
// for.
#include <relate/engine.hpp>
#include <relate/error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

class reader {
 public:
  reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::size_t pick(std::size_t n) { return byte() % n; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_stream: %s\n", what.c_str());
  std::abort();
}

std::vector<relate::engine>& engines() {
  static std::vector<relate::engine> list = [] {
    std::vector<relate::engine> out;
    const auto file =
        std::filesystem::temp_directory_path() / ("relate_fuzz_stream_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(file);
    out.push_back(relate::create_engine("sqlite:///" + file.string()));
    if (const char* url = std::getenv("RELATE_TEST_POSTGRES_URL"); url && *url)
      out.push_back(relate::create_engine(url));
    return out;
  }();
  return list;
}

std::string counting_query(const relate::engine& e) {
  return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
         e.dialect().placeholder(1) + ") SELECT i FROM n";
}

void run(relate::engine& e, reader in) {
  auto conn = e.connect();
  const std::int64_t n = 1 + static_cast<std::int64_t>(in.pick(256)) * 12;
  const std::string sql = counting_query(e);
  auto stream = conn.execute(sql, std::vector<relate::value>{relate::value(n)}, relate::fetch_mode::streamed);
  std::int64_t expected = 1;
  bool transaction_ended = false;
  try {
    for (const auto& row : stream) {
      if (row.get<std::int64_t>(0) != expected)
        fail("row " + std::to_string(expected) + " read as " + std::to_string(row.get<std::int64_t>(0)));
      ++expected;
      switch (in.pick(10)) {  // 0 (and every choice once the input runs out): nothing
        case 1:
          if (conn.execute("SELECT 1").scalar<std::int64_t>() != 1) fail("SELECT 1 inside the stream");
          break;
        case 2: {  // a second stream, read partway and dropped
          auto inner = conn.execute(sql, std::vector<relate::value>{relate::value(std::int64_t{5})},
                                    relate::fetch_mode::streamed);
          for (std::size_t k = in.pick(7); k > 0; --k) inner.cursor().next();
          break;
        }
        case 3: {
          auto sp = conn.begin_nested();
          conn.execute("SELECT 2");
          if (in.pick(2) == 0)
            sp.commit();
          else
            sp.rollback();
          break;
        }
        case 4:
          if (in.pick(4) == 0) {
            conn.commit();
            transaction_ended = true;
          }
          break;
        default:
          break;
      }
    }
  } catch (const relate::operational_error& e) {
    if (!transaction_ended || std::string(e.what()).find("cannot be read further") == std::string::npos)
      fail(std::string("the stream failed after ") + std::to_string(expected - 1) + " rows: " + e.what());
    return;
  }
  if (expected != n + 1)
    fail("the stream ended after " + std::to_string(expected - 1) + " of " + std::to_string(n) +
         " rows without an error");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  for (auto& e : engines()) run(e, reader(data, size));
  return 0;
}
