// SPDX-License-Identifier: MIT
// docs/types.md: the column types of relate/types/, a JSON path filter, and
// a type of the program's own.  Prints types.out.
#include <relate/relate.hpp>

#include <iostream>

// snippet-begin: own-type
struct money {
  std::int64_t cents{};
  friend auto operator<=>(const money&, const money&) = default;
};

template <>
struct relate::type_conversion<money> {
  using base_type = std::int64_t;  // stored as BIGINT
  static std::int64_t to_base(const money& m) { return m.cents; }
  static std::optional<money> from_base(std::int64_t cents) {  // nullopt: not a valid money
    if (cents < 0) return std::nullopt;
    return money{cents};
  }
};
// snippet-end: own-type

// snippet-begin: model
enum class status { draft, live, retired };
inline auto relate_enum(relate::model<status>) {
  return relate::enumeration<status>(
      "status", {{status::draft, "draft"}, {status::live, "live"}, {status::retired, "retired"}});
}

struct Listing {
  relate::uuid id{};
  status state{};
  relate::json details{};
  money price{};
  relate::time_of_day opens{};
  std::chrono::minutes visit{};  // INTERVAL
  relate::timestamp_tz published{};
};

inline auto relate_mapping(relate::model<Listing>) {
  using namespace relate::orm;
  return table<Listing>("listings", column(&Listing::id, "id", primary_key, default_fn(relate::uuid::random)),
                        column(&Listing::state, "state"), column(&Listing::details, "details"),
                        column(&Listing::price, "price"), column(&Listing::opens, "opens"),
                        column(&Listing::visit, "visit"), column(&Listing::published, "published"));
}
// snippet-end: model

int main() {
  using namespace std::chrono;
  auto engine = relate::create_engine("sqlite:///types.db");
  relate::metadata meta;
  meta.add<Listing>();
  meta.create_all(engine);

  // snippet-begin: use
  relate::session session(engine);
  session.add(Listing{
      .state = status::live,
      .details = relate::json::parse(R"({"city": "Lyon", "rooms": 3, "tags": ["garden"]})"),
      .price = money{125000},
      .opens = relate::time_of_day(9h, 30min),
      .visit = 45min,
      .published = *relate::timestamp_tz::parse("2024-11-03T01:30:00-04:00"),
  });
  session.add(Listing{.state = status::draft, .details = relate::json::object({{"city", "Oslo"}})});
  session.commit();

  auto doc = relate::col(&Listing::details);
  auto found = session.query<Listing>()
                   .filter(doc["city"].as_text() == "Lyon" && doc["rooms"].as_integer() >= 2)
                   .filter(relate::col(&Listing::state) == status::live)
                   .one();
  std::cout << found->details.at("tags").at(0).as_string() << ", " << found->price.cents << " cents, opens "
            << found->opens.str() << ", visit " << found->visit.count() << " min\n";
  std::cout << "published " << found->published.str() << '\n';  // the instant, in UTC
  // snippet-end: use
  std::cout << (found->id.is_nil() ? "no id" : "a random id") << '\n';
}
