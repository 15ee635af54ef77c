#include <catch2/catch.hpp>

#include "core/text.hpp"

using namespace sealift;

TEST_CASE("percent-encoding keeps RFC 3986 unreserved bytes and the ones asked for") {
    CHECK(percent_encode("a-Z_0.~") == "a-Z_0.~");
    CHECK(percent_encode("sha256:ab cd/é") == "sha256%3Aab%20cd%2F%C3%A9");
    CHECK(percent_encode("host:5000/a/b", "/") == "host%3A5000/a/b");
}
