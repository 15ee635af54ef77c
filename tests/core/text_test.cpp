#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "core/text.hpp"

using namespace sealift;

TEST_CASE("percent-encoding keeps RFC 3986 unreserved bytes and the ones asked for") {
    CHECK(percent_encode("a-Z_0.~") == "a-Z_0.~");
    CHECK(percent_encode("sha256:ab cd/é") == "sha256%3Aab%20cd%2F%C3%A9");
    CHECK(percent_encode("host:5000/a/b", "/") == "host%3A5000/a/b");
}

TEST_CASE("base64 round trips and refuses garbage") {
    for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "user:pa:ss", std::string("\0\xff\x10", 3)})
        CHECK(base64_decode(base64_encode(s), "t") == s);
    CHECK(base64_encode("user:pass") == "dXNlcjpwYXNz");
    CHECK(base64_decode("dXNlcjpwYXNz", "t") == "user:pass");
    CHECK_THROWS_WITH(base64_decode("dXN!", "config.json: auths.x.auth"), Catch::Contains("config.json: auths.x.auth: invalid base64"));
}
