// SPDX-License-Identifier: MIT
// Opening, checking and registering driver plugins.  Each failure is its own
// plugin_error reason, and its message names the scheme or file, the folders
// tried and dlerror()'s text: a user reading it knows what to fix.
#include "plugin_loader.hpp"
#include "plugin_trust.hpp"

#include <dlfcn.h>

#include <relate/version.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <set>

namespace relate::detail {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view file_prefix = "librelate_driver_";
constexpr std::string_view file_suffix = ".so";

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

std::string folders_text(const std::vector<std::string>& folders) {
  return folders.empty() ? std::string("(no folders)") : join(folders, ", ");
}

std::string last_dl_error() {
  const char* text = dlerror();
  return text ? text : "no reason given by the dynamic loader";
}

[[noreturn]] void fail(plugin_error::reason why, const std::string& message) {
  throw plugin_error(why, message);
}

// The relate release a plugin names in its descriptor.  The field keeps its
// place in every ABI version from 4 on; older plugins did not record it.
std::string built_against(const relate_plugin_descriptor& d) {
  constexpr auto needed = offsetof(relate_plugin_descriptor, relate_version) + sizeof(const char*);
  if (d.abi_version < 4 || d.descriptor_size < needed || d.relate_version == nullptr)
    return "a relate older than 0.1 that does not record its release";
  return std::string("relate ") + d.relate_version;
}

// The descriptor's checks, in the order that makes reading the rest safe:
// version first (it says how to read the rest), then size, then the C++ ABI.
void check_descriptor(const std::string& file, const relate_plugin_descriptor* d) {
  const auto mismatch = [&](const std::string& what) {
    fail(plugin_error::reason::abi_mismatch, "plugin '" + file + "' is incompatible: " + what);
  };
  if (d == nullptr)
    fail(plugin_error::reason::entry_missing,
         "plugin '" + file + "': its entry point returned no descriptor");
  if (d->abi_version != RELATE_PLUGIN_ABI_VERSION)
    mismatch("it was built against " + built_against(*d) + " (plugin ABI version " +
             std::to_string(d->abi_version) + "), this is relate " + relate::version().text +
             ", which expects plugin ABI version " + std::to_string(RELATE_PLUGIN_ABI_VERSION) +
             " (rebuild the plugin against this relate)");
  if (d->descriptor_size < sizeof(relate_plugin_descriptor))
    mismatch("its descriptor is " + std::to_string(d->descriptor_size) + " bytes, expected at least " +
             std::to_string(sizeof(relate_plugin_descriptor)));
  if (d->cxx_abi == nullptr || std::strcmp(d->cxx_abi, RELATE_PLUGIN_CXX_ABI) != 0)
    mismatch(std::string("it was built with the C++ library ABI '") + (d->cxx_abi ? d->cxx_abi : "(null)") +
             "', this relate uses '" RELATE_PLUGIN_CXX_ABI "'");
  if (d->driver_name == nullptr || d->schemes == nullptr || d->schemes[0] == nullptr || d->create == nullptr)
    mismatch("its descriptor lacks a driver name, a scheme or a factory");
}

std::string canonical_or_same(const std::string& path) {
  std::error_code ec;
  auto canonical = fs::canonical(path, ec);
  return ec ? path : canonical.string();
}

// librelate_driver_<name>.so with a name of lower-case letters, digits and
// '_' only: backups, editor files and versioned copies are never opened.
bool is_plugin_file(const fs::path& p) {
  const auto name = p.filename().string();
  if (name.size() <= file_prefix.size() + file_suffix.size() || !name.starts_with(file_prefix) ||
      !name.ends_with(file_suffix))
    return false;
  const auto stem = std::string_view(name).substr(file_prefix.size(),
                                                  name.size() - file_prefix.size() - file_suffix.size());
  return std::all_of(stem.begin(), stem.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool serves(const loaded_plugin& plugin, std::string_view scheme) {
  return std::find(plugin.schemes.begin(), plugin.schemes.end(), scheme) != plugin.schemes.end();
}

std::vector<std::string> plugin_files_in(const std::string& folder) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (is_plugin_file(it->path())) files.push_back(it->path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

plugin_registry::plugin_registry(path_source paths) : paths_(std::move(paths)) {}

plugin_registry::plugin_registry(std::vector<std::string> paths)
    : paths_([paths = std::move(paths)] { return paths; }) {}

plugin_registry& plugin_registry::global() {
  // Never destroyed: drivers and engines held in other static objects may
  // outlive any destruction order we could pick.
  static auto* registry = new plugin_registry(path_source(&default_plugin_search_paths));
  return *registry;
}

// The plugin serving scheme from the first folder that has one: there, the
// file named after the scheme if it serves it, else the first by file name.
loaded_plugin* plugin_registry::find_scheme(std::string_view scheme, const std::vector<std::string>& folders,
                                            std::string_view preferred_file) const {
  for (const auto& folder : folders) {
    const auto real = canonical_or_same(folder);
    loaded_plugin* best = nullptr;
    for (const auto& plugin : plugins_) {
      if (plugin->folder != real || !serves(*plugin, scheme)) continue;
      const bool preferred = fs::path(plugin->file).filename() == preferred_file;
      if (best == nullptr || preferred ||
          (fs::path(best->file).filename() != preferred_file && plugin->file < best->file))
        best = plugin.get();
      if (preferred) break;
    }
    if (best != nullptr) return best;
  }
  return nullptr;
}

const loaded_plugin& plugin_registry::load_file(const std::string& path) {
  std::lock_guard lock(mutex_);
  return load_locked(path);
}

loaded_plugin& plugin_registry::load_locked(const std::string& path) {
  const auto key = canonical_or_same(path);
  if (const auto it = by_file_.find(key); it != by_file_.end()) return *it->second;
  if (!fs::exists(path))
    fail(plugin_error::reason::file_missing, "plugin file '" + path + "' does not exist");
  check_plugin_trusted(path);

  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr)
    fail(plugin_error::reason::open_failed, "cannot open plugin '" + path + "': " + last_dl_error());
  auto* entry = reinterpret_cast<relate_plugin_entry_fn>(dlsym(handle, RELATE_PLUGIN_ENTRY_SYMBOL));
  if (entry == nullptr) {
    const auto reason = last_dl_error();
    dlclose(handle);
    fail(plugin_error::reason::entry_missing, "plugin '" + path +
                                                  "' does not export '" RELATE_PLUGIN_ENTRY_SYMBOL
                                                  "' (was it built with RELATE_DEFINE_PLUGIN?): " +
                                                  reason);
  }
  const relate_plugin_descriptor* descriptor = entry();
  try {
    check_descriptor(path, descriptor);
  } catch (...) {
    dlclose(handle);
    throw;
  }

  auto plugin = std::make_unique<loaded_plugin>();
  plugin->file = path;
  plugin->folder = fs::path(key).parent_path().string();
  plugin->driver_name = descriptor->driver_name;
  plugin->driver_version = descriptor->driver_version ? descriptor->driver_version : "";
  plugin->descriptor = descriptor;
  for (auto s = descriptor->schemes; *s != nullptr; ++s) plugin->schemes.emplace_back(*s);
  by_file_.emplace(key, plugin.get());
  plugins_.push_back(std::move(plugin));
  return *plugins_.back();
}

std::shared_ptr<relate::driver> plugin_registry::instantiate(loaded_plugin& plugin) {
  if (plugin.driver) return plugin.driver;
  std::array<char, 1024> reason{};
  void* raw = nullptr;
  const auto failed = [&](const std::string& why) {
    fail(plugin_error::reason::factory_failed, "plugin '" + plugin.file + "' (driver '" + plugin.driver_name +
                                                   "') could not create its driver: " + why);
  };
  try {
    raw = plugin.descriptor->create(reason.data(), reason.size());
  } catch (const std::exception& e) {  // the contract says it must not throw; be forgiving anyway
    failed(std::string("its factory threw: ") + e.what());
  } catch (...) {
    failed("its factory threw an unknown exception");
  }
  if (raw == nullptr) failed(reason[0] != '\0' ? std::string(reason.data()) : "its factory gave no reason");
  plugin.driver.reset(static_cast<relate::driver*>(raw));
  return plugin.driver;
}

std::shared_ptr<relate::driver> plugin_registry::driver_for(std::string_view scheme) {
  return driver_for(scheme, paths_());
}

std::shared_ptr<relate::driver> plugin_registry::driver_for(std::string_view scheme,
                                                            const std::vector<std::string>& folders) {
  std::lock_guard lock(mutex_);
  const auto wanted =
      std::string(file_prefix) + std::string(scheme.substr(0, scheme.find('+'))) + std::string(file_suffix);
  // Folder by folder, so an earlier folder wins even over a plugin loaded
  // before from a later one: what serves the scheme there already, else the
  // file named after the scheme (if it is broken, that is the error to report).
  for (const auto& folder : folders) {
    if (auto* plugin = find_scheme(scheme, {folder}, wanted)) return instantiate(*plugin);
    const auto candidate = (fs::path(folder) / wanted).string();
    if (!is_plugin_file(candidate) || !fs::exists(candidate)) continue;
    load_locked(candidate);
    if (auto* plugin = find_scheme(scheme, {folder}, wanted)) return instantiate(*plugin);
  }
  // Otherwise any plugin of these folders may list the scheme (an alias like "postgres").
  std::vector<std::string> skipped;
  std::size_t files_seen = 0;
  for (const auto& folder : folders) {
    for (const auto& file : plugin_files_in(folder)) {
      ++files_seen;
      try {
        load_locked(file);
      } catch (const plugin_error& e) {
        skipped.emplace_back(e.what());
      }
    }
  }
  if (auto* plugin = find_scheme(scheme, folders, wanted)) return instantiate(*plugin);

  const auto searched =
      "looked for " + wanted + " and scanned librelate_driver_*.so in: " + folders_text(folders);
  std::string broken = skipped.empty() ? "" : "; skipped plugins: " + join(skipped, "; ");
  if (files_seen == 0)
    fail(plugin_error::reason::file_missing,
         "no driver plugin for URL scheme '" + std::string(scheme) + "': " + searched +
             " (no plugin files there; set RELATE_PLUGIN_PATH or engine_options::plugin_path to the folder "
             "holding " +
             wanted + ")");
  fail(plugin_error::reason::unknown_scheme,
       "unknown URL scheme '" + std::string(scheme) +
           "': no plugin serves it; known schemes: " + known_in(folders) + "; " + searched + broken);
}

std::string plugin_registry::known_in(const std::vector<std::string>& folders) const {
  std::set<std::string> known;
  for (const auto& folder : folders) {
    const auto real = canonical_or_same(folder);
    for (const auto& plugin : plugins_)
      if (plugin->folder == real) known.insert(plugin->schemes.begin(), plugin->schemes.end());
  }
  return known.empty() ? std::string("(none)") : join({known.begin(), known.end()}, ", ");
}

std::vector<std::string> plugin_registry::known_schemes() const {
  std::lock_guard lock(mutex_);
  std::set<std::string> known;
  for (const auto& plugin : plugins_) known.insert(plugin->schemes.begin(), plugin->schemes.end());
  return {known.begin(), known.end()};
}

}  // namespace relate::detail
