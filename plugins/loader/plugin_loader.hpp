// The plugin loader: maps a URL scheme to a driver plugin, opens it, checks
// its descriptor and creates its driver, once per process.
//
// Lookup for a scheme ("postgresql+libpq"): first the file named after the
// part before '+' (librelate_driver_postgresql.so) in each search folder,
// then every librelate_driver_*.so in those folders, whose descriptors list
// the schemes they serve (so "postgres" finds the postgresql plugin).
// Search folders, in order: RELATE_PLUGIN_PATH (colon-separated), the folder
// of librelate.so + "/relate/plugins" (the build tree's and the install
// tree's plugin folder alike), then the build and install folders compiled in.
//
// Private to core; exported only so that tests can drive a registry with
// their own folders.
#pragma once

#include <relate/plugin/abi.h>
#include <relate/driver/driver.hpp>
#include <relate/error.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#define RELATE_LOADER_API __attribute__((visibility("default")))

namespace relate::detail {

/// A plugin whose descriptor passed the checks.  Its driver is created on
/// first use; the module is never closed (drivers' code must outlive every
/// object they made).
struct loaded_plugin {
  std::string file;
  std::string driver_name;
  std::string driver_version;
  std::vector<std::string> schemes;
  const relate_plugin_descriptor* descriptor = nullptr;
  std::shared_ptr<relate::driver> driver;
};

/// RELATE_PLUGIN_PATH, then the folders next to librelate.so, the build tree
/// and the install tree, without duplicates.  Read anew on every call.
RELATE_LOADER_API std::vector<std::string> default_plugin_search_paths();

/// Where librelate.so itself lives ("" if unknown).
RELATE_LOADER_API std::string core_library_folder();

class RELATE_LOADER_API plugin_registry {
 public:
  using path_source = std::function<std::vector<std::string>()>;

  /// A registry searching the folders `paths` returns (called on each miss).
  explicit plugin_registry(path_source paths);
  explicit plugin_registry(std::vector<std::string> paths);

  /// The process-wide registry, searching default_plugin_search_paths().
  static plugin_registry& global();

  /// The driver serving scheme; loads and creates it on first use.  Throws
  /// plugin_error (unknown_scheme, file_missing, open_failed, entry_missing,
  /// abi_mismatch, factory_failed).
  std::shared_ptr<relate::driver> driver_for(std::string_view scheme);

  /// Opens one plugin file explicitly and registers its schemes (or returns
  /// the plugin already registered from that file).
  const loaded_plugin& load_file(const std::string& path);

  /// Schemes of every plugin registered so far (sorted).
  std::vector<std::string> known_schemes() const;
  std::vector<std::string> search_paths() const { return paths_(); }

 private:
  loaded_plugin* find_scheme(std::string_view scheme);
  loaded_plugin& load_locked(const std::string& path);
  std::shared_ptr<relate::driver> instantiate(loaded_plugin& plugin);

  path_source paths_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<loaded_plugin>> plugins_;
  std::map<std::string, loaded_plugin*, std::less<>> by_file_;  // canonical path
  std::map<std::string, loaded_plugin*, std::less<>> by_scheme_;
};

}  // namespace relate::detail
