#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/error.hpp"
#include "core/time.hpp"

using namespace sealift;

TEST_CASE("RFC 3339 times round-trip") {
    auto t = parse_time("2026-11-23T18:00:05Z");
    CHECK(format_time(t) == "2026-11-23T18:00:05Z");
    CHECK(t.time_since_epoch().count() == 1795456805);
    CHECK_THROWS_AS(parse_time("2026-13-01T00:00:00Z"), Error);
    CHECK_THROWS_AS(parse_time("2026-11-23 18:00:05"), Error);
}

TEST_CASE("durations and expiries") {
    CHECK(parse_duration("1d12h").count() == 36 * 3600);
    CHECK(parse_duration("2w").count() == 14 * 86400);
    CHECK_THROWS_AS(parse_duration("10"), Error);
    CHECK_THROWS_AS(parse_duration("5y"), Error);
    auto from = parse_time("2026-01-01T00:00:00Z");
    CHECK(format_time(parse_expiry("30d", from)) == "2026-01-31T00:00:00Z");
    CHECK(format_time(parse_expiry("2027-02-03", from)) == "2027-02-03T00:00:00Z");
}

TEST_CASE("SOURCE_DATE_EPOCH fixes the build time") {
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    CHECK(format_time(build_time()) == "2023-11-14T22:13:20Z");
    setenv("SOURCE_DATE_EPOCH", "soon", 1);
    CHECK_THROWS_AS(build_time(), Error);
    unsetenv("SOURCE_DATE_EPOCH");
}
