// SPDX-License-Identifier: MIT
// The plugin loader against real modules: every failure has its own reason
// and a message naming the file, the folders and the cause; the process
// carries on after each; a plugin registers once, also under concurrency.
#include "plugin_loader.hpp"
#include "plugin_test_env.hpp"

#include <relate/engine.hpp>
#include <relate/version.hpp>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using relate::plugin_error;
using relate::detail::plugin_registry;
using reason = plugin_error::reason;

using relate::testing::broken_dir;
using relate::testing::good_dir;

// Runs f, expecting a plugin_error of the given reason whose message holds
// every one of `fragments`.
template <class F>
void expect_plugin_error(F&& f, reason why, const std::vector<std::string>& fragments) {
  try {
    f();
    ADD_FAILURE() << "no plugin_error";
  } catch (const plugin_error& e) {
    EXPECT_EQ(e.why(), why) << e.what();
    for (const auto& fragment : fragments)
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos)
          << "missing '" << fragment << "' in: " << e.what();
  }
}

void expect_broken(const std::string& scheme, reason why, const std::vector<std::string>& fragments) {
  plugin_registry registry({broken_dir});
  auto all = fragments;
  all.push_back(broken_dir + "/librelate_driver_" + scheme + ".so");
  expect_plugin_error([&] { registry.driver_for(scheme); }, why, all);
}

TEST(plugin_loader, abi_version_mismatch) {
  // broken_plugin.cpp builds "wrongabi" with this build's version + 41.
  // Both releases are named: the one the plugin was built against, and the loaded one.
  expect_broken("wrongabi", reason::abi_mismatch,
                {"built against relate 41.0.0 (plugin ABI version " +
                     std::to_string(RELATE_PLUGIN_ABI_VERSION + 41) + ")",
                 std::string("this is relate ") + relate::version().text,
                 "expects plugin ABI version " + std::to_string(RELATE_PLUGIN_ABI_VERSION)});
}

TEST(plugin_loader, abi_version_mismatch_with_a_plugin_older_than_the_release_field) {
  expect_broken("oldabi", reason::abi_mismatch,
                {"a relate older than 0.1 that does not record its release (plugin ABI version 3)",
                 std::string("this is relate ") + relate::version().text});
}

TEST(plugin_loader, short_descriptor) {
  expect_broken("shortdesc", reason::abi_mismatch, {"descriptor is 8 bytes"});
}

TEST(plugin_loader, cxx_abi_mismatch) {
  expect_broken("wrongcxx", reason::abi_mismatch, {"libc++-from-another-planet", RELATE_PLUGIN_CXX_ABI});
}

TEST(plugin_loader, entry_symbol_missing) {
  expect_broken("noentry", reason::entry_missing,
                {"does not export 'relate_plugin_entry'", "undefined symbol"});
}

TEST(plugin_loader, factory_reports_an_error) {
  expect_broken("refusing", reason::factory_failed,
                {"driver 'refusing'", "the license server is unreachable"});
}

TEST(plugin_loader, factory_throws) {
  expect_broken("throwing", reason::factory_failed, {"factory threw", "factory exploded"});
}

TEST(plugin_loader, factory_throws_something_that_is_not_an_exception) {
  expect_broken("throwingint", reason::factory_failed, {"driver 'throwingint'", "unknown exception"});
}

TEST(plugin_loader, corrupt_file) {
  relate::testing::temp_folder folder;
  {
    std::ofstream out(folder.path() / "librelate_driver_corrupt.so", std::ios::binary);
    out << "this is not an ELF file, just garbage bytes \x01\x02\x03";
  }
  plugin_registry registry({folder.path().string()});
  const auto file = (folder.path() / "librelate_driver_corrupt.so").string();
  // dlerror()'s own words follow the file name.
  expect_plugin_error([&] { registry.driver_for("corrupt"); }, reason::open_failed,
                      {"cannot open plugin '" + file + "': ", file + ": "});
}

TEST(plugin_loader, explicit_file_missing) {
  plugin_registry registry({good_dir});
  expect_plugin_error([&] { registry.load_file(good_dir + "/librelate_driver_nothere.so"); },
                      reason::file_missing, {"librelate_driver_nothere.so", "does not exist"});
}

TEST(plugin_loader, no_plugin_files_at_all) {
  relate::testing::temp_folder empty;
  plugin_registry registry({empty.path().string(), "/nonexistent/relate/plugins"});
  expect_plugin_error([&] { registry.driver_for("sqlite"); }, reason::file_missing,
                      {"'sqlite'", "librelate_driver_sqlite.so", empty.path().string(),
                       "/nonexistent/relate/plugins", "RELATE_PLUGIN_PATH"});
}

TEST(plugin_loader, unknown_scheme_lists_known_schemes_and_folders) {
  plugin_registry registry({good_dir, broken_dir});
  expect_plugin_error([&] { registry.driver_for("nosuchdb"); }, reason::unknown_scheme,
                      {"'nosuchdb'", "known schemes: fake+scripted, fakedb", "librelate_driver_nosuchdb.so",
                       good_dir, broken_dir, "skipped plugins", "librelate_driver_wrongabi.so"});
}

TEST(plugin_loader, carries_on_after_every_failure) {
  plugin_registry registry({broken_dir, good_dir});
  for (const char* scheme : {"wrongabi", "oldabi", "noentry", "refusing", "throwing", "throwingint",
                             "wrongcxx", "shortdesc", "nosuchdb"}) {
    EXPECT_THROW(registry.driver_for(scheme), plugin_error) << scheme;
    // Asking again gives the same answer: a failure is not cached as a success.
    EXPECT_THROW(registry.driver_for(scheme), plugin_error) << scheme;
  }
  const auto driver = registry.driver_for("fakedb");
  ASSERT_NE(driver, nullptr);
  EXPECT_EQ(driver->name(), "fakedb");
  EXPECT_EQ(driver->dialect().name(), "fake");
}

TEST(plugin_loader, scheme_alias_found_by_scanning_descriptors) {
  plugin_registry registry({good_dir});
  // No librelate_driver_fake.so exists: only the fakedb descriptor names this scheme.
  const auto by_alias = registry.driver_for("fake+scripted");
  EXPECT_EQ(by_alias->name(), "fakedb");
  EXPECT_EQ(registry.driver_for("fakedb"), by_alias);
}

TEST(plugin_loader, a_plugin_registers_once) {
  plugin_registry registry({good_dir, good_dir});
  const auto& first = registry.load_file(good_dir + "/librelate_driver_fakedb.so");
  const auto& again = registry.load_file(good_dir + "/../good_plugins/librelate_driver_fakedb.so");
  EXPECT_EQ(&first, &again);
  EXPECT_EQ(first.driver_name, "fakedb");
  EXPECT_EQ(first.driver_version, "1.0 (test double)");
  EXPECT_EQ(registry.driver_for("fakedb"), registry.driver_for("fakedb"));
  EXPECT_THROW(registry.driver_for("nosuchdb"), plugin_error);  // rescans both folders
  EXPECT_EQ(registry.known_schemes(), (std::vector<std::string>{"fake+scripted", "fakedb"}));
}

TEST(plugin_loader, concurrent_lookups_create_one_driver) {
  plugin_registry registry({broken_dir, good_dir});
  std::vector<std::shared_ptr<relate::driver>> drivers(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < drivers.size(); ++i)
    threads.emplace_back([&, i] { drivers[i] = registry.driver_for(i % 2 ? "fakedb" : "fake+scripted"); });
  for (auto& t : threads) t.join();
  for (const auto& d : drivers) EXPECT_EQ(d, drivers[0]);
  EXPECT_NE(drivers[0], nullptr);
}

TEST(plugin_loader, concurrent_create_engine) {
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  std::vector<std::string> errors(8);
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] {
      try {
        auto engine = relate::create_engine("fakedb://concurrent" + std::to_string(i) + "/db");
        auto conn = engine.connect();
        conn.execute("SELECT 1");
        if (engine.driver_name() == "fakedb") ++ok;
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  for (const auto& e : errors) EXPECT_EQ(e, "");
}

TEST(plugin_loader, create_engine_reports_unknown_schemes) {
  // The process-wide registry searches RELATE_PLUGIN_PATH (set by the test environment).
  expect_plugin_error([] { relate::create_engine("nosuchdb://host/db"); }, reason::unknown_scheme,
                      {"'nosuchdb'", "fakedb", good_dir});
}

TEST(plugin_loader, create_engine_finds_a_plugin_through_the_environment_variable) {
  const auto engine = relate::create_engine("fakedb://env-var/db");
  EXPECT_EQ(engine.driver_name(), "fakedb");
  EXPECT_EQ(engine.dialect().name(), "fake");
}

}  // namespace
