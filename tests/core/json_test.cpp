#include <catch2/catch.hpp>

#include "core/error.hpp"
#include "core/json.hpp"

using namespace sealift;

TEST_CASE("canonical JSON sorts keys, drops whitespace, escapes only quote and backslash") {
    Json v = parse_json_strict(R"({"b": [1, true, null], "a": {"y": "q\"\\", "x": -3}, "é": "ü"})", "t");
    CHECK(canonical_json(v) == "{\"a\":{\"x\":-3,\"y\":\"q\\\"\\\\\"},\"b\":[1,true,null],\"\xC3\xA9\":\"\xC3\xBC\"}");
}

TEST_CASE("canonical JSON refuses floats and writes control characters raw, as TUF implementations do") {
    CHECK_THROWS_AS(canonical_json(Json::parse("1.5")), Error);
    CHECK(canonical_json(Json("a\nb\t")) == "\"a\nb\t\"");
}

TEST_CASE("strict parsing refuses duplicate keys at any depth and names the source") {
    CHECK_THROWS_WITH(parse_json_strict(R"({"a":1,"a":2})", "m.json"), Catch::Contains("m.json") && Catch::Contains("duplicate JSON key 'a'"));
    CHECK_THROWS_WITH(parse_json_strict(R"({"x":{"k":1,"k":1}})", "m.json"), Catch::Contains("'k'"));
    CHECK_NOTHROW(parse_json_strict(R"({"x":{"k":1},"y":{"k":1}})", "m.json"));
    CHECK_THROWS_WITH(parse_json_strict("{", "broken.json"), Catch::Contains("broken.json: invalid JSON"));
}

TEST_CASE("typed field access names the field") {
    Json v = Json::parse(R"({"n": -1, "s": 3})");
    CHECK_THROWS_WITH(json_uint(v, "n", "doc"), Catch::Contains("'n' must be a non-negative integer"));
    CHECK_THROWS_WITH(json_string(v, "s", "doc"), Catch::Contains("'s' must be a string"));
    CHECK_THROWS_WITH(json_string(v, "z", "doc"), Catch::Contains("doc: missing field 'z'"));
}
