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
    CHECK_THROWS_WITH(parse_json_strict(R"({"a":1,"a":2})", "m.json"),
                      Catch::Contains("m.json") && Catch::Contains("duplicate JSON key 'a'"));
    CHECK_THROWS_WITH(parse_json_strict(R"({"x":{"k":1,"k":1}})", "m.json"), Catch::Contains("'k'"));
    CHECK_NOTHROW(parse_json_strict(R"({"x":{"k":1},"y":{"k":1}})", "m.json"));
    CHECK_THROWS_WITH(parse_json_strict("{", "broken.json"), Catch::Contains("broken.json: invalid JSON"));
    // The reason without nlohmann's internal tag.
    CHECK_THROWS_WITH(parse_json_strict("junk", "junk.json"),
                      Catch::StartsWith("junk.json: invalid JSON: parse error at line 1, column ") &&
                          !Catch::Contains("json.exception"));
}

TEST_CASE("strict parsing refuses a duplicate key inside arrays and deep nesting, and reports a syntax error first") {
    CHECK_THROWS_WITH(parse_json_strict(R"([{"a":1},[{"b":{"c":[1,{"d":2,"d":3}]}}]])", "deep.json"),
                      Catch::Contains("deep.json: duplicate JSON key 'd'"));
    CHECK_THROWS_WITH(parse_json_strict(R"({"a":{"k":1},"b":2,"a":3})", "m.json"),
                      Catch::Contains("duplicate JSON key 'a'"));
    CHECK_THROWS_WITH(parse_json_strict(R"({"a":1,"a":2,)", "m.json"), Catch::Contains("m.json: invalid JSON"));
    CHECK_THROWS_WITH(parse_json_strict(R"({"a":1} x)", "trail.json"), Catch::Contains("trail.json: invalid JSON"));
    CHECK_THROWS_WITH(parse_json_strict("", "empty.json"), Catch::Contains("empty.json: invalid JSON"));
}

TEST_CASE("strict parsing builds the same value as nlohmann's parser") {
    const std::string text =
        R"({"z":[1,-2,3.5,"s",true,false,null,[],{}],"a":{"b":[{"c":{}},[[]]],"e":"\u00e9"},"n":18446744073709551615})";
    CHECK(parse_json_strict(text, "t") == Json::parse(text));
    CHECK(parse_json_strict("[[[]],[{}]]", "t") == Json::parse("[[[]],[{}]]"));
    CHECK(parse_json_strict("\"top\"", "t") == Json("top"));
    CHECK(parse_json_strict("7", "t") == Json(7));
}

TEST_CASE("strict parsing keeps every member of large objects and arrays, and a duplicate among them") {
    // The shape of a bundle manifest of many images: one object of many keys, one array of many objects.
    std::string text = "{\"targets\":{";
    for (int i = 0; i < 50000; ++i)
        text += (i ? ",\"" : "\"") + std::to_string(i) + "\":{\"length\":" + std::to_string(i) + "}";
    text += "},\"images\":[";
    for (int i = 0; i < 50000; ++i)
        text += (i ? "," : "") + std::string("{\"ref\":\"r") + std::to_string(i) + "\",\"size\":1}";
    text += "]}";
    Json v = parse_json_strict(text, "big.json");
    REQUIRE(v["targets"].size() == 50000);
    CHECK(v["targets"]["49999"]["length"] == 49999);
    REQUIRE(v["images"].size() == 50000);
    CHECK(v["images"][12345]["ref"] == "r12345");
    std::string repeated = text.substr(0, text.size() - 2) + ",{\"ref\":\"x\",\"size\":1,\"ref\":\"y\"}]}";
    CHECK_THROWS_WITH(parse_json_strict(repeated, "big.json"), Catch::Contains("duplicate JSON key 'ref'"));
}

TEST_CASE("typed field access names the field") {
    Json v = Json::parse(R"({"n": -1, "s": 3})");
    CHECK_THROWS_WITH(json_uint(v, "n", "doc"), Catch::Contains("'n' must be a non-negative integer"));
    CHECK_THROWS_WITH(json_string(v, "s", "doc"), Catch::Contains("'s' must be a string"));
    CHECK_THROWS_WITH(json_string(v, "z", "doc"), Catch::Contains("doc: missing field 'z'"));
}

TEST_CASE(
    "strict parsing turns a number beyond a double into a format error naming the source, not nlohmann's "
    "out_of_range") {
    for (const char* text : {R"({"size": 1e999})", R"([-1e400])", R"({"a": {"b": [1, 2, 1E+999]}})"}) {
        INFO(text);
        try {
            parse_json_strict(text, "sealift/manifest.json");
            FAIL("parsed");
        } catch (const Error& e) {
            CHECK(e.code() == Errc::format);
            CHECK_THAT(e.what(), Catch::StartsWith("sealift/manifest.json: invalid JSON: ") &&
                                     Catch::Contains("number overflow"));
        }
    }
    CHECK(parse_json_strict("[1e308]", "t")[0].is_number_float());
}

TEST_CASE("dump_json_safe writes U+FFFD for bytes that are not UTF-8, where dump() throws; valid text is unchanged") {
    Json bad = {{"reason", "entry 'images/\xff\xfe': unsafe"}, {"ok", "\xC3\xA9"}};
    CHECK_THROWS_AS(bad.dump(), Json::type_error);
    std::string text = dump_json_safe(bad);
    CHECK(text == "{\"ok\":\"\xC3\xA9\",\"reason\":\"entry 'images/\xEF\xBF\xBD\xEF\xBF\xBD': unsafe\"}");
    CHECK_NOTHROW(Json::parse(text));
    Json good = parse_json_strict(R"({"b": [1, "\u00e9"], "a": {"y": "q"}})", "t");
    CHECK(dump_json_safe(good, 2) == good.dump(2));
    nlohmann::ordered_json ordered = {{"z", "\xff"}, {"a", 1}};
    CHECK(dump_json_safe(ordered) == "{\"z\":\"\xEF\xBF\xBD\",\"a\":1}");
}

TEST_CASE("canonical JSON of a string that is not UTF-8 is JSON all the same: U+FFFD in place of the bad bytes") {
    std::string text = canonical_json(Json{{"reason", "entry '\xff\xc3': bad"}});
    CHECK(text == "{\"reason\":\"entry '\xEF\xBF\xBD\xEF\xBF\xBD': bad\"}");
    CHECK(canonical_json(parse_json_strict(text, "t")) == text);
}
