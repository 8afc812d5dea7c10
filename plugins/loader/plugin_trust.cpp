// SPDX-License-Identifier: MIT
#include "plugin_trust.hpp"

#include <relate/error.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace relate::detail {

trusted_owner trusted_owner::of_this_process() { return {geteuid(), getegid()}; }

std::string untrusted_because(const struct stat& st, const trusted_owner& owner) {
  if (st.st_uid != 0 && st.st_uid != owner.user)
    return "it is owned by user id " + std::to_string(st.st_uid) +
           ", neither root nor this process's user (" + std::to_string(owner.user) + ")";
  if ((st.st_mode & S_IWOTH) != 0)  // sticky folders like /tmp too: anyone may add a file there
    return "it is writable by every user";
  // A group-writable file of the process's own user and group is the usual
  // result of umask 002 with per-user groups; any other group is other users.
  if ((st.st_mode & S_IWGRP) != 0 && !(st.st_uid == owner.user && st.st_gid == owner.group))
    return "it is writable by group id " + std::to_string(st.st_gid);
  return "";
}

void check_plugin_trusted(const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  auto real = fs::canonical(file, ec);
  if (ec) real = fs::absolute(file);
  const auto owner = trusted_owner::of_this_process();
  const std::pair<const char*, fs::path> checked[] = {{"the file", real}, {"its folder", real.parent_path()}};
  for (const auto& [what, path] : checked) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
      throw plugin_error(plugin_error::reason::file_missing, "cannot check plugin '" + file + "': " +
                                                                 path.string() + ": " + std::strerror(errno));
    if (const auto why = untrusted_because(st, owner); !why.empty())
      throw plugin_error(
          plugin_error::reason::untrusted_file,
          "refusing to load plugin '" + file + "': " + what + " " + path.string() +
              " could be changed by another user (" + why +
              "); make it writable only by its owner (chmod go-w), owned by root or this user");
  }
}

}  // namespace relate::detail
