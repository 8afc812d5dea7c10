// SPDX-License-Identifier: MIT
// The folders the loader searches, in order (see plugin_loader.hpp).
#include "plugin_loader.hpp"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>

namespace relate::detail {

namespace {

// Any object inside librelate.so: dladdr on it names the library's file.
const int core_anchor = 0;

void add_unique(std::vector<std::string>& paths, const std::string& folder) {
  if (folder.empty()) return;
  auto normal = std::filesystem::path(folder).lexically_normal().string();
  if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
  for (const auto& p : paths)
    if (p == normal) return;
  paths.push_back(std::move(normal));
}

void add_colon_separated(std::vector<std::string>& paths, std::string_view list) {
  while (!list.empty()) {
    const auto colon = list.find(':');
    add_unique(paths, std::string(list.substr(0, colon)));
    list.remove_prefix(colon == std::string_view::npos ? list.size() : colon + 1);
  }
}

}  // namespace

std::string core_library_folder() {
  Dl_info info{};
  if (dladdr(&core_anchor, &info) == 0 || info.dli_fname == nullptr) return {};
  std::error_code ec;
  auto file = std::filesystem::canonical(info.dli_fname, ec);
  if (ec) file = info.dli_fname;
  return file.parent_path().string();
}

bool explicit_plugin_folders_only() {
  // Plain getenv even in a setuid process: this variable can only narrow the search.
  const char* only = std::getenv("RELATE_PLUGIN_PATH_ONLY");
  return only != nullptr && *only != '\0' && std::string_view(only) != "0";
}

std::vector<std::string> plugin_search_folders(const std::vector<std::string>& explicit_folders,
                                               bool explicit_only) {
  std::vector<std::string> paths;
  for (const auto& folder : explicit_folders) add_unique(paths, folder);
  // secure_getenv: in a setuid or setgid program the variable belongs to the
  // user who started it, who must not choose the code it runs.
  if (const char* env = secure_getenv("RELATE_PLUGIN_PATH")) add_colon_separated(paths, env);
  if (explicit_only || explicit_plugin_folders_only()) return paths;
  // The build tree's librelate.so finds the build tree's plugins here; an
  // installed one finds the installed plugins and never the build tree.
  if (const auto folder = core_library_folder(); !folder.empty())
    add_unique(paths, folder + "/relate/plugins");
  add_unique(paths, RELATE_PLUGIN_INSTALL_DIR);
  return paths;
}

std::vector<std::string> default_plugin_search_paths() { return plugin_search_folders({}, false); }

}  // namespace relate::detail
