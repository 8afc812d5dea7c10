// SPDX-License-Identifier: MIT
// relate-blog-migrate: the migration command line for the blog's models, as a
// user writes it for their own (relate/migrations/cli.hpp).
//
//   relate-blog-migrate --url sqlite:///blog.db --dir examples/blog/migrations upgrade
#include "models.hpp"

#include <relate/migrations/cli.hpp>

int main(int argc, char** argv) {
  relate::metadata meta;
  blog::add_models(meta);
  return relate::migrations::main(argc, argv, meta);
}
