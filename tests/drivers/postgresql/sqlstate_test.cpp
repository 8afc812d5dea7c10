// SPDX-License-Identifier: MIT
// SQLSTATE classes -> relate error categories, without a server (the errors
// each class produces on a real server are in errors_test.cpp).
#include "pg_errors.hpp"

#include <gtest/gtest.h>

namespace relate::postgresql {
namespace {

TEST(postgresql_sqlstate, categories_by_class) {
  bool retryable = true;
  EXPECT_EQ(category_of("23505", retryable), error_category::integrity);
  EXPECT_FALSE(retryable);
  EXPECT_EQ(category_of("40001", retryable), error_category::operational);
  EXPECT_TRUE(retryable);
  EXPECT_EQ(category_of("40P01", retryable), error_category::operational);
  EXPECT_TRUE(retryable);
  EXPECT_EQ(category_of("42601", retryable), error_category::programming);
  EXPECT_FALSE(retryable);
  EXPECT_EQ(category_of("26000", retryable), error_category::programming);
  EXPECT_EQ(category_of("34000", retryable), error_category::programming);
  EXPECT_EQ(category_of("22012", retryable), error_category::data);
  EXPECT_EQ(category_of("08006", retryable), error_category::operational);
  EXPECT_EQ(category_of("57P01", retryable), error_category::operational);
  EXPECT_EQ(category_of("0A000", retryable), error_category::not_supported);
  EXPECT_EQ(category_of("XX000", retryable), error_category::database);
  EXPECT_EQ(category_of("", retryable), error_category::database);
}

}  // namespace
}  // namespace relate::postgresql
