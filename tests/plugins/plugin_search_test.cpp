// SPDX-License-Identifier: MIT
// Where plugins are looked for, and which files the loader refuses to open:
// the order of the folders, the options and the environment variable that
// restrict it to explicit folders, the file-name pattern, and the ownership
// and permission checks that keep another user's code out of the process.
#include "plugin_loader.hpp"
#include "plugin_test_env.hpp"
#include "plugin_trust.hpp"
#include "text.hpp"

#include <relate/engine.hpp>
#include <relate/version.hpp>

#include <dlfcn.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
using relate::plugin_error;
using relate::detail::plugin_registry;
using reason = plugin_error::reason;
using strings = std::vector<std::string>;

using relate::testing::broken_dir;
using relate::testing::good_dir;
const std::string fake_plugin = good_dir + "/librelate_driver_fakedb.so";

// The folder of the librelate.so this process loaded, asked of the dynamic loader.
std::string loaded_core_folder() {
  Dl_info info{};
  EXPECT_NE(dladdr(reinterpret_cast<void*>(&relate::version), &info), 0);
  return fs::canonical(info.dli_fname).parent_path().string();
}

plugin_error::reason error_reason(const std::function<void()>& f, std::string& message) {
  try {
    f();
  } catch (const plugin_error& e) {
    message = e.what();
    return e.why();
  }
  ADD_FAILURE() << "no plugin_error";
  return reason::unknown_scheme;
}

using relate::testing::contains;

// A private folder holding a copy of the fake driver, as a deployment would.
struct plugin_copy {
  relate::testing::temp_folder folder;
  fs::path file = folder.path() / "librelate_driver_fakedb.so";
  plugin_copy() {
    fs::copy_file(fake_plugin, file);
    fs::permissions(file, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  }
};

TEST(plugin_search, explicit_folders_then_the_environment_then_next_to_the_library_then_the_install_folder) {
  relate::testing::scoped_env env("RELATE_PLUGIN_PATH", broken_dir + ":" + good_dir);
  relate::testing::scoped_env unrestricted("RELATE_PLUGIN_PATH_ONLY", "0");
  const auto path = relate::plugin_search_path({.plugin_path = {"/opt/app/plugins"}});
  EXPECT_EQ(path, (strings{"/opt/app/plugins", broken_dir, good_dir, loaded_core_folder() + "/relate/plugins",
                           RELATE_TEST_INSTALL_PLUGIN_DIR}));
}

TEST(plugin_search, no_build_tree_folder_is_compiled_in) {
  // Run from the build tree, the build tree's plugins are found only as the
  // folder next to the build tree's librelate.so; an installed librelate.so
  // therefore never searches a build tree (the install test checks that side).
  relate::testing::scoped_env env("RELATE_PLUGIN_PATH", "");
  relate::testing::scoped_env unrestricted("RELATE_PLUGIN_PATH_ONLY", "");
  EXPECT_EQ(relate::plugin_search_path(),
            (strings{loaded_core_folder() + "/relate/plugins", RELATE_TEST_INSTALL_PLUGIN_DIR}));
}

TEST(plugin_search, the_engine_option_restricts_the_search_to_explicit_folders) {
  relate::testing::scoped_env env("RELATE_PLUGIN_PATH", broken_dir);
  const relate::engine_options only_good{.plugin_path = {good_dir}, .plugin_path_only = true};
  EXPECT_EQ(relate::plugin_search_path(only_good), (strings{good_dir, broken_dir}));
  EXPECT_EQ(relate::create_engine("fakedb://restricted/db", only_good).driver_name(), "fakedb");
  // The SQLite driver sits next to librelate.so in this build; restricted, it is not found there.
  std::string message;
  EXPECT_EQ(error_reason([&] { relate::create_engine("sqlite://", only_good); }, message),
            reason::unknown_scheme);
  EXPECT_FALSE(contains(message, loaded_core_folder())) << message;
  EXPECT_TRUE(contains(message, good_dir) && contains(message, broken_dir)) << message;
}

TEST(plugin_search, the_environment_variable_restricts_every_engine) {
  relate::testing::scoped_env env("RELATE_PLUGIN_PATH", good_dir);
  relate::testing::scoped_env only("RELATE_PLUGIN_PATH_ONLY", "1");
  EXPECT_EQ(relate::plugin_search_path(), (strings{good_dir}));
  EXPECT_EQ(relate::plugin_search_path({.plugin_path = {broken_dir}}), (strings{broken_dir, good_dir}));
}

TEST(plugin_search, a_plugin_loaded_from_one_folder_is_not_used_for_a_search_that_excludes_it) {
  plugin_registry registry({good_dir});
  EXPECT_EQ(registry.driver_for("fakedb")->name(), "fakedb");
  relate::testing::temp_folder empty;
  std::string message;
  EXPECT_EQ(error_reason([&] { registry.driver_for("fakedb", {empty.path().string()}); }, message),
            reason::file_missing);
  EXPECT_TRUE(contains(message, empty.path().string())) << message;
}

TEST(plugin_search, an_earlier_folder_wins_over_a_plugin_loaded_before_from_a_later_one) {
  plugin_copy preferred;
  plugin_registry registry({good_dir});
  const auto from_later = registry.driver_for("fakedb", {good_dir});
  const auto from_earlier = registry.driver_for("fakedb", {preferred.folder.path().string(), good_dir});
  EXPECT_NE(from_earlier, from_later);  // two files, two modules, two drivers
  EXPECT_EQ(registry.driver_for("fakedb", {preferred.folder.path().string()}), from_earlier);
  EXPECT_EQ(registry.driver_for("fakedb", {good_dir}), from_later);
}

TEST(plugin_search, only_files_named_like_a_driver_are_opened) {
  // Copies of a working plugin under names outside librelate_driver_<a-z0-9_>.so:
  // if any were opened, "fakedb" would be found.
  relate::testing::temp_folder folder;
  for (const char* name :
       {"librelate_driver_fakedb.so.bak", "librelate_driver_fakedb.so~", "librelate_driver_Fake.so",
        "librelate_driver_fake-db.so", "librelate_driver_.so", "libfakedb.so", "fakedb.so"})
    fs::copy_file(fake_plugin, folder.path() / name);
  plugin_registry registry({folder.path().string()});
  std::string message;
  EXPECT_EQ(error_reason([&] { registry.driver_for("fakedb"); }, message), reason::file_missing) << message;
  EXPECT_EQ(error_reason([&] { registry.driver_for("nosuchdb"); }, message), reason::file_missing) << message;
  EXPECT_TRUE(registry.known_schemes().empty());
}

TEST(plugin_trust, a_private_copy_loads) {
  plugin_copy copy;
  plugin_registry registry({copy.folder.path().string()});
  EXPECT_EQ(registry.driver_for("fakedb")->name(), "fakedb");
}

TEST(plugin_trust, a_file_every_user_may_write_is_refused_before_it_is_opened) {
  plugin_copy copy;
  fs::permissions(copy.file, fs::perms::others_write, fs::perm_options::add);
  plugin_registry registry({copy.folder.path().string()});
  std::string message;
  EXPECT_EQ(error_reason([&] { registry.driver_for("fakedb"); }, message), reason::untrusted_file);
  EXPECT_TRUE(contains(message, "refusing to load plugin '" + copy.file.string() + "'")) << message;
  EXPECT_TRUE(contains(message, "the file " + fs::canonical(copy.file).string())) << message;
  EXPECT_TRUE(contains(message, "writable by every user")) << message;
  EXPECT_TRUE(registry.known_schemes().empty());
  // Once fixed, it loads: the refusal was not cached.
  fs::permissions(copy.file, fs::perms::others_write, fs::perm_options::remove);
  EXPECT_EQ(registry.driver_for("fakedb")->name(), "fakedb");
}

TEST(plugin_trust, a_folder_every_user_may_write_is_refused) {
  plugin_copy copy;
  fs::permissions(copy.folder.path(), fs::perms::others_all, fs::perm_options::add);
  plugin_registry registry({copy.folder.path().string()});
  std::string message;
  EXPECT_EQ(error_reason([&] { registry.load_file(copy.file.string()); }, message), reason::untrusted_file);
  EXPECT_TRUE(contains(message, "its folder " + fs::canonical(copy.folder.path()).string())) << message;
}

TEST(plugin_trust, a_symbolic_link_is_judged_by_the_file_it_points_to) {
  plugin_copy target;
  fs::permissions(target.folder.path(), fs::perms::others_all, fs::perm_options::add);
  relate::testing::temp_folder trusted;
  fs::create_symlink(target.file, trusted.path() / "librelate_driver_fakedb.so");
  plugin_registry registry({trusted.path().string()});
  std::string message;
  EXPECT_EQ(error_reason([&] { registry.driver_for("fakedb"); }, message), reason::untrusted_file);
  EXPECT_TRUE(contains(message, fs::canonical(target.folder.path()).string())) << message;
}

TEST(plugin_trust, ownership_and_permission_rules) {
  const relate::detail::trusted_owner me{1000, 1000};
  struct stat st {};
  st.st_mode = S_IFREG | 0755;
  st.st_uid = 1000;
  st.st_gid = 1000;
  EXPECT_EQ(relate::detail::untrusted_because(st, me), "");
  st.st_uid = 0;  // root's files are trusted
  st.st_gid = 0;
  EXPECT_EQ(relate::detail::untrusted_because(st, me), "");
  st.st_uid = 1001;  // another user's are not
  EXPECT_TRUE(contains(relate::detail::untrusted_because(st, me), "owned by user id 1001")) << "";
  st.st_uid = 1000;
  st.st_mode = S_IFREG | 0775;  // group-writable, own private group (umask 002): fine
  st.st_gid = 1000;
  EXPECT_EQ(relate::detail::untrusted_because(st, me), "");
  st.st_gid = 50;  // a shared group: other users
  EXPECT_TRUE(contains(relate::detail::untrusted_because(st, me), "writable by group id 50"));
  st.st_mode = S_IFDIR | 01777;  // /tmp: sticky, but anyone may add a file
  st.st_uid = 0;
  EXPECT_TRUE(contains(relate::detail::untrusted_because(st, me), "writable by every user"));
}

TEST(plugin_trust, a_file_owned_by_another_user_is_refused) {
  if (geteuid() != 0)
    GTEST_SKIP() << "needs root to give a file to another user (the rule itself is tested above)";
  const passwd* nobody = getpwnam("nobody");
  ASSERT_NE(nobody, nullptr);
  plugin_copy copy;
  ASSERT_EQ(chown(copy.file.c_str(), nobody->pw_uid, static_cast<gid_t>(-1)), 0);
  plugin_registry registry({copy.folder.path().string()});
  std::string message;
  EXPECT_EQ(error_reason([&] { registry.driver_for("fakedb"); }, message), reason::untrusted_file);
  EXPECT_TRUE(contains(message, "owned by user id " + std::to_string(nobody->pw_uid))) << message;
}

// What the probe program prints when run with RELATE_PLUGIN_PATH set to marker.
std::string probe_output(const std::string& program, const std::string& marker) {
  const auto command = "env RELATE_PLUGIN_PATH='" + marker + "' '" + program + "'";
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
    pclose(pipe);
  }
  return out;
}

TEST(plugin_search, a_setgid_program_ignores_the_environment_variable) {
  const std::string marker = "/nonexistent/plugins-chosen-by-the-caller";
  const std::string probe = RELATE_TEST_PATH_PROBE;
  // Control: the same program without privileges does search the marker.
  EXPECT_TRUE(contains(probe_output(probe, marker), "secure: 0\n" + marker + "\n"));

  if (geteuid() != 0) GTEST_SKIP() << "needs root to make a setgid copy for another group";
  const group* other = getgrnam("nogroup");
  ASSERT_NE(other, nullptr);
  relate::testing::temp_folder folder;
  const auto copy = folder.path() / "probe";
  fs::copy_file(probe, copy);
  ASSERT_EQ(chown(copy.c_str(), static_cast<uid_t>(-1), other->gr_gid), 0);
  ASSERT_EQ(chmod(copy.c_str(), 02755), 0);
  const auto out = probe_output(copy.string(), marker);
  if (contains(out, "secure: 0")) GTEST_SKIP() << "the temporary folder is mounted nosuid: " << out;
  EXPECT_TRUE(contains(out, "secure: 1")) << out;
  EXPECT_FALSE(contains(out, marker)) << out;
  EXPECT_TRUE(contains(out, "/relate/plugins")) << out;  // the default folders are still searched
}

}  // namespace
