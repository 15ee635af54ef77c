// Go's regexp (on RE2) and encoding/json. Expected values are what Helm v3.21 printed for the
// same Sprig calls (regexReplaceAll, regexFindAll, regexSplit, ... and toJson/fromJson).
#include <catch2/catch.hpp>

#include "charts/render/go_json.hpp"
#include "charts/render/go_regexp.hpp"
#include "support/support.hpp"

using namespace sealift::render;
using sealift::test::error_of;
using Json = nlohmann::json;

namespace {
std::string joined(const std::vector<std::string>& parts) { return go_json_marshal(Json(parts)); }
}  // namespace

TEST_CASE("Go's replacement templates: ${1}, $1 greedy names, $name, $$", "[render][regexp]") {
    CHECK(GoRegexp("a(x*)b").replace_all("-ab-axxb-", "${1}W") == "-W-xxW-");
    CHECK(GoRegexp("a(x*)b").replace_all("-ab-axxb-", "$1W") == "---");  // the group named "1W"
    CHECK(GoRegexp("(?P<n>x+)").replace_all("axxbx", "[$n]") == "a[xx]b[x]");
    CHECK(GoRegexp("x*").replace_all("abc", "-") == "-a-b-c-");
    CHECK(GoRegexp("a(x*)b").replace_all_literal("-axb-", "$1") == "-$1-");
    CHECK(GoRegexp("(a)").replace_all("aa", "$$1 $2 ${x") == "$1  ${x$1  ${x");
}

TEST_CASE("Go's FindAll, Find, Split and Match", "[render][regexp]") {
    CHECK(joined(GoRegexp("a*").find_all("baaab", -1)) == R"(["","aaa",""])");
    CHECK(joined(GoRegexp("[0-9]").find_all("a1b2c3", 2)) == R"(["1","2"])");
    CHECK(GoRegexp("a").find_all("b", -1).empty());
    CHECK(joined(GoRegexp("a*").split("baaabc", -1)) == R"(["b","b","c"])");
    CHECK(joined(GoRegexp(",").split("a,b,c", 2)) == R"(["a","b,c"])");
    CHECK(joined(GoRegexp("").split("abc", -1)) == R"(["a","b","c"])");
    CHECK(joined(GoRegexp(",").split("", -1)) == R"([""])");
    CHECK(GoRegexp("[0-9]+").find("ab12cd34") == "12");
    CHECK(GoRegexp("z").find("ab") == "");
    CHECK(GoRegexp("^[a-z]+$").match("abc"));
    CHECK_FALSE(GoRegexp("^[a-z]+$").match("ab1"));
    CHECK(go_regexp_quote_meta("a.b*c") == "a\\.b\\*c");
}

TEST_CASE("bad patterns fail with Go's regexp messages", "[render][regexp]") {
    CHECK(error_of([] { GoRegexp("("); }) == "error parsing regexp: missing closing ): `(`");
    CHECK(error_of([] { GoRegexp("a{2,1}"); }) == "error parsing regexp: invalid repeat count: `{2,1}`");
    CHECK(error_of([] { GoRegexp("[z-a]"); }) == "error parsing regexp: invalid character class range: `z-a`");
    CHECK(go_regexp_must_compile_message("(", "error parsing regexp: missing closing ): `(`") ==
          "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`");
}

TEST_CASE("encoding/json output: Go's floats, HTML escapes, indentation", "[render][json]") {
    Json list =
        Json::array({1.5, 3e21, 0.0000001, "<&>", "\u2028", std::int64_t{7}, 1e20, -0.0, 12345678901234567890.0});
    CHECK(go_json_marshal(list) ==
          R"([1.5,3e+21,1e-7,"\u003c\u0026\u003e","\u2028",7,100000000000000000000,-0,12345678901234567000])");
    CHECK(go_json_marshal(Json("<&>\x01\t\xff"), GoJsonStyle{false, ""}) == "\"<&>\\u0001\\t\xEF\xBF\xBD\"");
    CHECK(go_json_marshal(Json::parse(R"({"b":[],"a":{"x":[1,{}]}})"), GoJsonStyle{true, "  "}) ==
          "{\n  \"a\": {\n    \"x\": [\n      1,\n      {}\n    ]\n  },\n  \"b\": []\n}");
    CHECK(error_of([] { go_json_marshal(Json(INFINITY)); }) == "json: unsupported value: +Inf");
}

TEST_CASE("encoding/json input: float64 numbers and the scanner's messages", "[render][json]") {
    CHECK(go_json_unmarshal(R"({"a":[1,"\u00e9\ud83d\ude00",true,null]})").dump() ==
          "{\"a\":[1.0,\"\xC3\xA9\xF0\x9F\x98\x80\",true,null]}");
    CHECK(error_of([] { go_json_unmarshal(R"({"a":)"); }) == "unexpected end of JSON input");
    CHECK(error_of([] { go_json_unmarshal(R"({"a" 1})"); }) == "invalid character '1' after object key");
    CHECK(error_of([] { go_json_unmarshal("tru"); }) == "invalid character ' ' in literal true (expecting 'e')");
    CHECK(error_of([] { go_json_unmarshal("[1,]"); }) == "invalid character ']' looking for beginning of value");
    CHECK(error_of([] { go_json_unmarshal("\"a\nb\""); }) == "invalid character '\\n' in string literal");
    CHECK(error_of([] { go_json_unmarshal("{} x"); }) == "invalid character 'x' after top-level value");
    CHECK(error_of([] { go_json_unmarshal("-"); }) == "invalid character ' ' in numeric literal");
    size_t consumed = 0;
    CHECK(go_json_unmarshal_prefix(" [1] ,x=2", consumed).dump() == "[1.0]");
    CHECK(consumed == 4);
}
