// SPDX-License-Identifier: MIT
// The plugin loader: maps a URL scheme to a driver plugin, opens it, checks
// its descriptor and creates its driver, once per process.
//
// Lookup for a scheme ("postgresql+libpq") in an ordered list of folders:
// first the file named after the part before '+' (librelate_driver_postgresql.so),
// then every librelate_driver_<name>.so in those folders, whose descriptors
// list the schemes they serve (so "postgres" finds the postgresql plugin).
// Nothing else is opened, and nothing outside the folders.
//
// The folders, in order: the engine's plugin_path option, RELATE_PLUGIN_PATH
// (colon-separated; ignored in setuid/setgid programs), then, unless the
// engine's plugin_path_only or RELATE_PLUGIN_PATH_ONLY=1 restricts the search
// to those explicit folders, the folder of librelate.so + "/relate/plugins"
// and the install folder compiled in.  No build-tree path is compiled in: a
// build tree's librelate.so finds its plugins as "next to itself", and an
// installed one never looks into the tree it was built in.
//
// Every file is checked before it is opened (plugin_trust.hpp).  Private to
// core: its symbols are hidden; the loader tests compile these sources in.
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

namespace relate::detail {

/// A plugin whose descriptor passed the checks.  Its driver is created on
/// first use; the module is never closed (drivers' code must outlive every
/// object they made).
struct loaded_plugin {
  std::string file;
  std::string folder;  // canonical: where the file really is
  std::string driver_name;
  std::string driver_version;
  std::vector<std::string> schemes;
  const relate_plugin_descriptor* descriptor = nullptr;
  std::shared_ptr<relate::driver> driver;
};

/// The folders to search: explicit_folders, RELATE_PLUGIN_PATH, then (unless
/// explicit_only or RELATE_PLUGIN_PATH_ONLY is set) the folder next to
/// librelate.so and the install folder, without duplicates.  Read anew on every call.
std::vector<std::string> plugin_search_folders(const std::vector<std::string>& explicit_folders,
                                               bool explicit_only);
std::vector<std::string> default_plugin_search_paths();

/// Whether RELATE_PLUGIN_PATH_ONLY asks for explicit folders only.
bool explicit_plugin_folders_only();

/// Where librelate.so itself lives ("" if unknown).
std::string core_library_folder();

class plugin_registry {
 public:
  using path_source = std::function<std::vector<std::string>()>;

  /// A registry searching the folders `paths` returns (called on each miss).
  explicit plugin_registry(path_source paths);
  explicit plugin_registry(std::vector<std::string> paths);

  /// The process-wide registry, searching default_plugin_search_paths().
  static plugin_registry& global();

  /// The driver serving scheme; loads and creates it on first use.  Throws
  /// plugin_error (unknown_scheme, file_missing, untrusted_file, open_failed,
  /// entry_missing, abi_mismatch, factory_failed).
  std::shared_ptr<relate::driver> driver_for(std::string_view scheme);
  /// The same, searching `folders` instead of the registry's own: a plugin
  /// already loaded from another folder is not used.
  std::shared_ptr<relate::driver> driver_for(std::string_view scheme,
                                             const std::vector<std::string>& folders);

  /// Opens one plugin file explicitly and registers its schemes (or returns
  /// the plugin already registered from that file).  Throws plugin_error
  /// (file_missing, untrusted_file, open_failed, entry_missing, abi_mismatch).
  const loaded_plugin& load_file(const std::string& path);

  /// Schemes of every plugin registered so far (sorted).
  std::vector<std::string> known_schemes() const;
  std::vector<std::string> search_paths() const { return paths_(); }

 private:
  loaded_plugin* find_scheme(std::string_view scheme, const std::vector<std::string>& folders,
                             std::string_view preferred_file) const;
  loaded_plugin& load_locked(const std::string& path);
  std::string known_in(const std::vector<std::string>& folders) const;
  std::shared_ptr<relate::driver> instantiate(loaded_plugin& plugin);

  path_source paths_;
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<loaded_plugin>> plugins_;
  std::map<std::string, loaded_plugin*, std::less<>> by_file_;  // canonical path
};

}  // namespace relate::detail
