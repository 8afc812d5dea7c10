// SPDX-License-Identifier: MIT
// docs/querying.md: what a query loads into objects the session already
// has (populate_existing).  Prints loading.out.
#include "blog.hpp"

#include <iostream>

using blog::User;

int main() {
  auto engine = blog::open("sqlite:///blog.db");
  relate::session session(engine);
  auto ann = session.add(User{.name = "Ann"});
  session.commit();

  // snippet-begin: populate_existing
  session.get_connection().execute("UPDATE users SET name = ?", {"Anne"});  // behind the session's back
  auto same = session.query<User>().filter_by(&User::id, ann->id).one();    // the identity map wins
  std::cout << same->name << " from the identity map, ";
  session.query<User>().filter_by(&User::id, ann->id).populate_existing().one();
  std::cout << ann->name << " with populate_existing\n";
  // snippet-end: populate_existing
}
