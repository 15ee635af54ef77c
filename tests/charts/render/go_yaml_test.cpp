// toYaml and values reading against sigs.k8s.io/yaml. The expected texts were produced by Helm
// v3.21 (`helm template` of {{ toYaml .Values }} for these values); the last test asks the helm
// binary again when it is there.
#include <catch2/catch.hpp>

#include "charts/render/go_yaml_emit.hpp"
#include "charts/render/go_yaml_read.hpp"
#include "helm_probe.hpp"
#include "support/support.hpp"

using namespace sealift::render;
using sealift::test::error_of;
using Json = nlohmann::json;

namespace {

std::string yaml_round_trip(const std::string& values) { return go_yaml_marshal(go_yaml_unmarshal_map(values)); }

const char* const tricky_strings = R"(s:
  yes1: "yes"
  on1: "on"
  tru: "true"
  nul: "null"
  tilde: "~"
  empty: ""
  int: "123"
  float: "1.5"
  exp: "1e3"
  hex: "0x1F"
  oct2: "017"
  date: "2024-01-01"
  b60: "1:20"
  colon: "a: b"
  colon2: "a:b"
  hash: "a #b"
  hash2: "#a"
  dash: "- a"
  dash2: "-a"
  star: "*a"
  q: "?a"
  q2: "? a"
  sq: "'a'"
  dq: "\"a\""
  lead: " a"
  trail: "a "
  tab: "a\tb"
  emoji: "\U0001F600"
  ctrl: "a\x01b"
  crlf: "a\r\nb"
  dot: ".inf"
  dotnum: ".5"
  merge: "<<"
  und: "1_000"
  plus: "+1"
  minus: "-"
  bs: "a\\b"
  html: "<a>&"
  ver: "1.2.3"
  uni: "héllo"
  long: "aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg hhhhhhhhhh iiiiiiiiii"
)";

}  // namespace

TEST_CASE("toYaml quotes strings that would read as another type, as goyaml.v2 does", "[render][yaml]") {
    CHECK(yaml_round_trip(tricky_strings) == R"(s:
  b60: "1:20"
  bs: a\b
  colon: 'a: b'
  colon2: a:b
  crlf: "a\r\nb"
  ctrl: "a\x01b"
  dash: '- a'
  dash2: -a
  date: "2024-01-01"
  dot: ".inf"
  dotnum: ".5"
  dq: '"a"'
  emoji: "\U0001F600"
  empty: ""
  exp: "1e3"
  float: "1.5"
  hash: 'a #b'
  hash2: '#a'
  hex: "0x1F"
  html: <a>&
  int: "123"
  lead: ' a'
  long: aaaaaaaaaa bbbbbbbbbb cccccccccc dddddddddd eeeeeeeeee ffffffffff gggggggggg
    hhhhhhhhhh iiiiiiiiii
  merge: <<
  minus: '-'
  nul: "null"
  oct2: "017"
  on1: "on"
  plus: "+1"
  q: ?a
  q2: '? a'
  sq: '''a'''
  star: '*a'
  tab: "a\tb"
  tilde: "~"
  trail: 'a '
  tru: "true"
  und: "1_000"
  uni: héllo
  ver: 1.2.3
  yes1: "yes"
)");
}

TEST_CASE("toYaml writes multi-line strings as literal blocks with goyaml.v2's hints", "[render][yaml]") {
    CHECK(go_yaml_marshal(Json{{"m", "line1\nline2\n"}}) == "m: |\n  line1\n  line2\n");
    CHECK(go_yaml_marshal(Json{{"m", "line1\nline2"}}) == "m: |-\n  line1\n  line2\n");
    CHECK(go_yaml_marshal(Json{{"m", "line1\n\nline2\n\n"}}) == "m: |+\n  line1\n\n  line2\n\n");
    CHECK(go_yaml_marshal(Json{{"m", " lead\nline2"}}) == "m: |2-\n   lead\n  line2\n");
    CHECK(go_yaml_marshal(Json{{"m", "\n"}}) == "m: |2+\n\n");
    // A space before a line break rules out a block: double quotes.
    CHECK(go_yaml_marshal(Json{{"m", "trail \nline2"}}) == "m: \"trail \\nline2\"\n");
    CHECK(go_yaml_marshal(Json("a\nb")) == "|-\n  a\n  b\n");
    CHECK(go_yaml_marshal(Json::array({"x\ny"})) == "- |-\n  x\n  y\n");
}

TEST_CASE("toYaml numbers go through JSON: integers below 1e21 plain, floats in 'g' form", "[render][yaml]") {
    CHECK(yaml_round_trip("num:\n  i: 1\n  big: 1000000\n  bigger: 123456789012\n  huge: 1e21\n"
                          "  huge2: 100000000000000000000\n  f: 1.5\n  f2: 1.0\n  small: 0.000001\n"
                          "  smaller: 0.0000001\n  neg: -3\n  f3: 1500000.5\n  f4: 3.14159265358979\n"
                          "  hexn: 0x1F\n  octn: 0o17\n  oct2n: 017\n  und: 1_000\n  exp: 1e3\n  b: yes\n"
                          "  b2: On\n  b3: off\n  nul: ~\n  ts: 2024-01-01\n  b60n: 1:20\n") == R"(num:
  b: true
  b2: true
  b3: false
  b60n: "1:20"
  big: 1000000
  bigger: 123456789012
  exp: 1000
  f: 1.5
  f2: 1
  f3: 1.5000005e+06
  f4: 3.14159265358979
  hexn: 31
  huge: 1e+21
  huge2: 1e+20
  i: 1
  neg: -3
  nul: null
  oct2n: 15
  octn: 15
  small: 1e-06
  smaller: 1e-07
  ts: "2024-01-01"
  und: 1000
)");
    // A key that YAML 1.1 reads as a boolean becomes "false" (or "true").
    CHECK(yaml_round_trip("n: 1\ny: 2\n") == "\"false\": 1\n\"true\": 2\n");
    CHECK(go_yaml_marshal(Json(std::int64_t{42})) == "42\n");
    CHECK(go_yaml_marshal(Json(-0.0)) == "0\n");
    CHECK(error_of([] {
              go_yaml_marshal(Json{{"x", NAN}});
          }) == "error marshaling into JSON: json: unsupported value: NaN");
}

TEST_CASE("toYaml sorts keys as goyaml.v2 does and lays out collections", "[render][yaml]") {
    CHECK(yaml_round_trip("keys:\n  b: 1\n  a10: 1\n  a2: 1\n  A: 1\n  \"1\": 1\n  \"10\": 1\n  \"9\": 1\n"
                          "  _x: 1\n  a-b: 1\n  ab: 1\n  \"a b\": 1\n  a1b: 1\n  a01: 1\n  a001b: 1\n  Z: 1\n"
                          "  \"\": 1\n") == R"(keys:
  "": 1
  _x: 1
  "1": 1
  "9": 1
  "10": 1
  A: 1
  Z: 1
  a b: 1
  a-b: 1
  a1b: 1
  a01: 1
  a001b: 1
  a2: 1
  a10: 1
  ab: 1
  b: 1
)");
    CHECK(yaml_round_trip("m: {}\nl: []\nnested:\n  - a: 1\n    b: [1, 2]\n  - - x\n    - y\n  - []\n  - {}\n") ==
          R"(l: []
m: {}
nested:
- a: 1
  b:
  - 1
  - 2
- - x
  - true
- []
- {}
)");
    CHECK(go_yaml_marshal(Json::object()) == "{}\n");
    CHECK(go_yaml_marshal(Json::array()) == "[]\n");
    CHECK(go_yaml_marshal(Json(nullptr)) == "null\n");
    std::string long_key(130, 'k');
    CHECK(go_yaml_marshal(Json{{long_key, 1}}) == "? " + long_key + "\n: 1\n");
}

TEST_CASE("values read as sigs.k8s.io/yaml reads them", "[render][yaml]") {
    CHECK(go_yaml_unmarshal_map("a: &x {b: 1, c: 2}\nd:\n  c: 3\n  <<: *x\n  e: 4\ny: *x").dump() ==
          R"({"a":{"b":1.0,"c":2.0},"d":{"b":1.0,"c":2.0,"e":4.0},"true":{"b":1.0,"c":2.0}})");
    CHECK(go_yaml_unmarshal_map("d: {<<: [{a: 1, b: 1}, {b: 2, c: 2}], c: 3}").dump() ==
          R"({"d":{"a":1.0,"b":1.0,"c":3.0}})");
    CHECK(go_yaml_unmarshal_map("k: {1: a, 1.5: b, true: c, 0x10: d}").dump() ==
          R"({"k":{"1":"a","1.5":"b","16":"d","true":"c"}})");
    CHECK(go_yaml_unmarshal_map("a: !!str 12\nb: !!int \"7\"\nc: !foo bar\nd: !!float 3").dump() ==
          R"({"a":"12","b":7.0,"c":"bar","d":3.0})");
    CHECK(go_yaml_unmarshal_map("a: 1\n---\nb: 2").dump() == R"({"a":1.0})");
    CHECK(go_yaml_unmarshal_map("a: 1\na: 2").dump() == R"({"a":2.0})");
    CHECK(go_yaml_unmarshal_map("").dump() == "{}");
    CHECK(go_yaml_unmarshal_map("~").dump() == "{}");
    CHECK(go_yaml_unmarshal_map("a:\nb: ''\nc: |\n  x\n").dump() == R"({"a":null,"b":"","c":"x\n"})");
    CHECK(go_yaml_unmarshal_list("- 1\n- n\n- '2'").dump() == R"([1.0,false,"2"])");
}

TEST_CASE("values reading fails with Helm's messages", "[render][yaml]") {
    CHECK(error_of([] { go_yaml_unmarshal_map("- a"); }) ==
          "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type "
          "map[string]interface {}");
    CHECK(error_of([] { go_yaml_unmarshal_list("a: 1"); }) ==
          "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type "
          "[]interface {}");
    CHECK(error_of([] { go_yaml_unmarshal_list("5"); }) ==
          "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal number into Go value of type "
          "[]interface {}");
    CHECK(error_of([] { go_yaml_unmarshal_map("x: .inf"); }) ==
          "error converting YAML to JSON: json: unsupported value: +Inf");
    // The syntax errors come from yaml-cpp's parser: Helm's prefix, the line, the parser's reason.
    CHECK_THAT(error_of([] { go_yaml_unmarshal_map("a: [\n"); }),
               Catch::StartsWith("error converting YAML to JSON: yaml: line "));
    CHECK_THAT(error_of([] { go_yaml_unmarshal_map("a: *nope"); }),
               Catch::StartsWith("error converting YAML to JSON: yaml: "));
}

TEST_CASE("toYaml of values files equals Helm's", "[render][yaml][helm]") {
    if (!sealift::test::helm_binary()) {
        WARN("skipped: ../shared/tools/helm is absent, so there is no Helm to compare with");
        return;
    }
    for (const std::string& values :
         {std::string(tricky_strings), std::string("a:\n  - b: {c: [1, 2.5, -0.0, 1e300, 12345678901234567890]}\n"),
          std::string("x: \"multi\\nline\\n\"\ny: \"  two leading\\nspaces\"\nz: \"a\\u2028b\"\n"),
          std::string("w: \"" + std::string(100, 'a') + " " + std::string(20, 'b') + "\"\n")}) {
        auto helm = sealift::test::helm_eval(values, {"toYaml .Values"});
        INFO(values);
        REQUIRE(helm.ok);
        std::string ours = yaml_round_trip(values);
        ours.pop_back();  // Helm's toYaml trims the final newline
        CHECK(ours == helm.printed[0]);
    }
}
