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
    for (const std::string& s :
         std::vector<std::string>{"", "a", "ab", "abc", "user:pa:ss", std::string("\0\xff\x10", 3)})
        CHECK(base64_decode(base64_encode(s), "t") == s);
    CHECK(base64_encode("user:pass") == "dXNlcjpwYXNz");
    CHECK(base64_decode("dXNlcjpwYXNz", "t") == "user:pass");
    CHECK_THROWS_WITH(base64_decode("dXN!", "config.json: auths.x.auth"),
                      Catch::Contains("config.json: auths.x.auth: invalid base64"));
}

TEST_CASE("UTF-8 validity follows RFC 3629; replacement is one U+FFFD per maximal invalid subpart") {
    for (std::string good :
         {"", "plain", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\xED\x9F\xBF"}) {
        INFO(good);
        CHECK(valid_utf8(good));
        CHECK(utf8_with_replacement(good) == good);
    }
    const std::string r = "\xEF\xBF\xBD";
    struct Case {
        std::string in, out;
    } cases[] = {
        {"\xff", r},                          // never a UTF-8 byte
        {"a\xC3", "a" + r},                   // cut short
        {"\xC0\xAF", r + r},                  // overlong '/'
        {"\xE0\x80\xAF", r + r + r},          // overlong, three bytes
        {"\xED\xA0\x80", r + r + r},          // a surrogate
        {"\xF4\x90\x80\x80", r + r + r + r},  // past U+10FFFF
        {"\xE2\x82x", r + "x"},               // a maximal subpart, then ASCII
        {"\xF0\x9F\x98", r},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        CHECK_FALSE(valid_utf8(c.in));
        CHECK(utf8_with_replacement(c.in) == c.out);
    }
}
