// Opening, checking and registering driver plugins.  Each failure is its own
// plugin_error reason, and its message names the scheme or file, the folders
// tried and dlerror()'s text: a user reading it knows what to fix.
#include "plugin_loader.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>

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
    mismatch("it was built for plugin ABI version " + std::to_string(d->abi_version) +
             ", this relate expects " + std::to_string(RELATE_PLUGIN_ABI_VERSION) +
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

bool is_plugin_file(const fs::path& p) {
  const auto name = p.filename().string();
  return name.size() > file_prefix.size() + file_suffix.size() && name.starts_with(file_prefix) &&
         name.ends_with(file_suffix);
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

loaded_plugin* plugin_registry::find_scheme(std::string_view scheme) {
  const auto it = by_scheme_.find(scheme);
  return it == by_scheme_.end() ? nullptr : it->second;
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
  plugin->driver_name = descriptor->driver_name;
  plugin->driver_version = descriptor->driver_version ? descriptor->driver_version : "";
  plugin->descriptor = descriptor;
  for (auto s = descriptor->schemes; *s != nullptr; ++s) plugin->schemes.emplace_back(*s);
  // The first plugin to claim a scheme keeps it: search order decides.
  for (const auto& scheme : plugin->schemes) by_scheme_.emplace(scheme, plugin.get());
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
  std::lock_guard lock(mutex_);
  if (auto* plugin = find_scheme(scheme)) return instantiate(*plugin);

  const auto folders = paths_();
  const auto wanted =
      std::string(file_prefix) + std::string(scheme.substr(0, scheme.find('+'))) + std::string(file_suffix);
  // The file named after the scheme: if it is broken, that is the error to report.
  for (const auto& folder : folders) {
    const auto candidate = (fs::path(folder) / wanted).string();
    if (!fs::exists(candidate)) continue;
    load_locked(candidate);
    if (auto* plugin = find_scheme(scheme)) return instantiate(*plugin);
  }
  // Otherwise any plugin may list the scheme (an alias like "postgres").
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
  if (auto* plugin = find_scheme(scheme)) return instantiate(*plugin);

  const auto searched =
      "looked for " + wanted + " and scanned librelate_driver_*.so in: " + folders_text(folders);
  std::string broken = skipped.empty() ? "" : "; skipped broken plugins: " + join(skipped, "; ");
  if (files_seen == 0 && plugins_.empty())
    fail(plugin_error::reason::file_missing,
         "no driver plugin for URL scheme '" + std::string(scheme) + "': " + searched +
             " (no plugin files there; set RELATE_PLUGIN_PATH to the folder holding " + wanted + ")");
  std::vector<std::string> known;
  for (const auto& [name, plugin] : by_scheme_) known.push_back(name);
  fail(plugin_error::reason::unknown_scheme,
       "unknown URL scheme '" + std::string(scheme) + "': no plugin serves it; known schemes: " +
           (known.empty() ? std::string("(none)") : join(known, ", ")) + "; " + searched + broken);
}

std::vector<std::string> plugin_registry::known_schemes() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> known;
  for (const auto& [name, plugin] : by_scheme_) known.push_back(name);
  return known;
}

}  // namespace relate::detail
