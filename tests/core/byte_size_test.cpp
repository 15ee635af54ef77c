#include <catch2/catch.hpp>

#include "core/byte_size.hpp"
#include "core/text.hpp"

using namespace sealift;

TEST_CASE("sizes: plain bytes, binary K/M/G/T and KiB..TiB, decimal kB..TB, fractions rounded down") {
    CHECK(parse_byte_size("1048576") == 1048576u);
    CHECK(parse_byte_size("700M") == 700ull << 20);
    CHECK(parse_byte_size("4G") == 4ull << 30);
    CHECK(parse_byte_size("2GiB") == 2ull << 30);
    CHECK(parse_byte_size("1k") == 1024u);
    CHECK(parse_byte_size("1KiB") == 1024u);
    CHECK(parse_byte_size("4.7GB") == 4'700'000'000ull);  // a DVD
    CHECK(parse_byte_size("50MB") == 50'000'000ull);
    CHECK(parse_byte_size("1KB") == 1000u);
    CHECK(parse_byte_size("1kB") == 1000u);
    CHECK(parse_byte_size("2TB") == 2'000'000'000'000ull);
    CHECK(parse_byte_size("1.5K") == 1536u);
    CHECK(parse_byte_size("0.1K") == 102u);                      // 102.4, rounded down
    CHECK(parse_byte_size("1.999999999T") == 2199023254452ull);  // floor(1.999999999 * 2^40), exact
    CHECK(parse_byte_size("16777215T") == 16777215ull << 40);
}

TEST_CASE("sizes: anything else is not a size") {
    for (const char* bad : {"", "G", ".5G", "1.", "1.5", "4.7XB", "4 G", "-1M", "1e9", "1.0000000001G", "1gb", "1Gi",
                            "16777216T", "18446744073709551616", "99999999999999999999K"}) {
        INFO(bad);
        CHECK_FALSE(parse_byte_size(bad).has_value());
    }
    CHECK(parse_byte_size("18446744073709551615") == UINT64_MAX);
}

TEST_CASE("all_digits: one or more of 0-9") {
    CHECK(all_digits("0123456789"));
    CHECK_FALSE(all_digits(""));
    CHECK_FALSE(all_digits("12a"));
    CHECK_FALSE(all_digits("-1"));
}
