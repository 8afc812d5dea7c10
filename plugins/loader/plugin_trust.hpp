// SPDX-License-Identifier: MIT
// Whether a plugin file may be opened: loading a plugin runs its code inside
// the program, so a file or folder that another user could have replaced is
// refused, as ld.so refuses untrusted paths in secure mode and OpenSSH
// refuses a key file others can write.
#pragma once

#include <sys/stat.h>
#include <sys/types.h>

#include <string>

namespace relate::detail {

/// Who the checks trust: the process's effective user and group, and root.
struct trusted_owner {
  uid_t user;
  gid_t group;
  static trusted_owner of_this_process();
};

/// Why the file or folder described by `st` cannot be trusted ("" if it can):
/// writable by every user, writable by a group other than the owner's own
/// private one, or owned by a user other than root and `owner.user`.
std::string untrusted_because(const struct stat& st, const trusted_owner& owner);

/// Checks the plugin file and the folder it really lives in (symbolic links
/// resolved); throws plugin_error(untrusted_file) naming the path and why.
void check_plugin_trusted(const std::string& file);

}  // namespace relate::detail
