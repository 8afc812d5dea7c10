// SPDX-License-Identifier: MIT
// relate::version() reports the library the process loaded; built and run
// together here, it must agree with the headers' macros.
#include <relate/relate.hpp>

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(version, the_loaded_library_matches_the_headers_it_was_built_with) {
  const auto v = relate::version();
  EXPECT_EQ(v.major, RELATE_VERSION_MAJOR);
  EXPECT_EQ(v.minor, RELATE_VERSION_MINOR);
  EXPECT_EQ(v.patch, RELATE_VERSION_PATCH);
  EXPECT_STREQ(v.text, RELATE_VERSION_STRING);
}

TEST(version, text_and_number_spell_the_same_release) {
  const auto v = relate::version();
  EXPECT_EQ(std::string(v.text),
            std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch));
  EXPECT_EQ(RELATE_VERSION, v.major * 10000 + v.minor * 100 + v.patch);
}

}  // namespace
