// SPDX-License-Identifier: MIT
// A type of the program's own, added through the public extension point
// (relate::type_conversion) as a user writes it, outside the library: as a
// member, optional, a primary key, in queries, in row::get, and a stored
// value its from_base refuses, on every backend.
#include "orm_fixture.hpp"

#include <relate/type_conversion.hpp>

#include <compare>
#include <optional>
#include <string>

namespace shop {

/// Cents, never negative: from_base refuses what a careless program stored.
struct money {
  std::int64_t cents{};
  friend auto operator<=>(const money&, const money&) = default;
};

/// A strongly typed key.
struct sku {
  std::string code{};
  friend bool operator==(const sku&, const sku&) = default;
};

}  // namespace shop

template <>
struct relate::type_conversion<shop::money> {
  using base_type = std::int64_t;
  static constexpr std::string_view name = "amount of money";
  static std::int64_t to_base(const shop::money& m) { return m.cents; }
  static std::optional<shop::money> from_base(std::int64_t cents) {
    if (cents < 0) return std::nullopt;
    return shop::money{cents};
  }
};

template <>
struct relate::type_conversion<shop::sku> {
  using base_type = std::string;
  static relate::sql::sql_type sql_type() { return {.kind = relate::sql::type_kind::text, .length = 12}; }
  static std::string to_base(const shop::sku& s) { return s.code; }
  static shop::sku from_base(std::string code) { return shop::sku{std::move(code)}; }
};

namespace shop {

struct Product {
  sku id{};
  money price{};
  std::optional<money> discount{};
};

inline auto relate_mapping(relate::model<Product>) {
  using namespace relate::orm;
  return table<Product>("products", column(&Product::id, "id", primary_key), column(&Product::price, "price"),
                        column(&Product::discount, "discount"));
}

namespace {

class user_types : public relate::testing::backend_test {
 protected:
  void SetUp() override {
    backend_test::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meta.add<Product>();
    meta.create_all(engine());
  }
  relate::metadata meta;
};

TEST_P(user_types, a_type_of_the_program_maps_queries_and_reads_like_a_built_in_one) {
  {
    relate::session s(engine());
    s.add(Product{.id = {"A-1"}, .price = {250}});
    s.add(Product{.id = {"B-2"}, .price = {1999}, .discount = money{500}});
    s.commit();
  }
  relate::session s(engine());
  auto b = s.get<Product>(sku{"B-2"});
  ASSERT_TRUE(b);
  EXPECT_EQ(b->price, money{1999});
  EXPECT_EQ(b->discount, std::optional<money>(money{500}));
  EXPECT_EQ(s.query<Product>().filter(relate::col(&Product::price) > money{1000}).one()->id, sku{"B-2"});
  EXPECT_EQ(s.query<Product>().filter(relate::col(&Product::discount).is_null()).one()->id, sku{"A-1"});
  EXPECT_EQ(s.query<Product>().filter_by(&Product::id, sku{"A-1"}).count(), 1);

  b->price = money{1499};  // dirty tracking compares through the base type
  s.commit();
  relate::session fresh(engine());
  EXPECT_EQ(fresh.get<Product>(sku{"B-2"})->price, money{1499});

  auto [id, price] = fresh.query(relate::col(&Product::id), relate::col(&Product::price))
                         .filter(relate::col(&Product::id) == sku{"A-1"})
                         .one();
  EXPECT_EQ(id, sku{"A-1"});
  EXPECT_EQ(price, money{250});
  // The column type the specialisation asked for.
  EXPECT_EQ(meta.tables().front().columns.front().type.length, 12U);
}

TEST_P(user_types, a_stored_value_from_base_refuses_is_a_data_error_naming_the_column) {
  {
    auto conn = engine().connect();
    conn.execute("INSERT INTO products (id, price) VALUES ('C-3', -5)");
    conn.commit();
  }
  relate::session s(engine());
  try {
    s.get<Product>(sku{"C-3"});
    ADD_FAILURE() << "a negative amount was read";
  } catch (const relate::data_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("\"price\""), std::string::npos) << what;
    EXPECT_NE(what.find("-5"), std::string::npos) << what;
  }
  auto conn = engine().connect();
  auto r = conn.execute("SELECT price FROM products");
  ASSERT_TRUE(r.cursor().next());
  try {
    (void)relate::row(r.cursor()).get<money>(0);
    ADD_FAILURE() << "row::get read a negative amount";
  } catch (const relate::data_error& e) {
    EXPECT_NE(std::string(e.what()).find("amount of money"), std::string::npos) << e.what();
  }
}

RELATE_INSTANTIATE_BACKENDS(user_types);

}  // namespace
}  // namespace shop
