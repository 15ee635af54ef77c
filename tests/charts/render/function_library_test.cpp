// Sprig's and Helm's functions called as templates call them (arguments already of their Go
// parameter types). The expected texts are what Helm v3.21 printed with toJson for the same calls
// (template literals: 1 is an int, 2.5 a float64, "x" a string).
#include <catch2/catch.hpp>

#include "charts/render/function_library.hpp"
#include "charts/render/value.hpp"

using namespace sealift::render;

namespace {

class NoExecution : public Execution {
public:
    std::string execute_template(std::string_view, const Value&) override { return ""; }
    std::string execute_text(std::string_view, std::string_view, const Value&) override { return ""; }
    std::string current_template() const override { return "test"; }
};

const FunctionTable& table() {
    static FunctionTable t = [] {
        FunctionTable f;
        add_sprig_and_helm_functions(f);
        return f;
    }();
    return t;
}

Value call(const std::string& name, std::vector<Value> args = {}) {
    const Function* f = table().find(name);
    if (!f) FAIL("no function " << name);
    NoExecution exec;
    return f->impl(exec, Args(args.data(), args.size()));
}

std::string json(std::vector<Value> items) { return call("toJson", {call("list", std::move(items))}).as_string(); }

Value L(std::vector<Value> items) { return call("list", std::move(items)); }
Value D(std::vector<Value> items) { return call("dict", std::move(items)); }

std::string error_of(const std::string& name, std::vector<Value> args) {
    try {
        call(name, std::move(args));
    } catch (const FunctionError& e) {
        return e.what();
    }
    return "NO ERROR";
}

}  // namespace

TEST_CASE("merge and mergeOverwrite follow mergo", "[render][functions]") {
    Value dst = D({"a", false, "b", "", "c", D({"x", 1}), "l", L({})});
    Value src = D({"a", true, "b", "s", "c", D({"x", 2, "y", 3}), "l", L({1}), "n", Value()});
    CHECK(json({call("merge", {dst, src})}) == R"([{"a":true,"b":"s","c":{"x":1,"y":3},"l":[1]}])");
    Value dst2 = D({"a", true, "b", "s", "c", D({"x", 1}), "l", L({1, 2}), "z", 1});
    Value src2 = D({"a", false, "b", "", "c", D({"y", 3}), "l", L({}), "z", Value()});
    CHECK(json({call("mergeOverwrite", {dst2, src2})}) == R"([{"a":false,"b":"","c":{"x":1,"y":3},"l":[],"z":null}])");
}

TEST_CASE("number conversions and arithmetic go through spf13/cast", "[render][functions]") {
    CHECK(json({call("int", {"12"}), call("int", {"0x1F"}), call("int", {"1.0"}), call("int", {"1.5"}),
                call("int", {2.7}), call("int", {true}), call("int", {Value()}), call("int", {"abc"}),
                call("int64", {"-3"}), call("float64", {"1.5"}), call("float64", {"x"})}) ==
          "[12,31,1,0,2,1,0,0,-3,1.5,0]");
    CHECK(json({call("add", {1, 2.9, "3"}), call("add1", {1.5}), call("sub", {10, 2.5}), call("mul", {2, 3, 4}),
                call("div", {7, 2}), call("mod", {7, 3}), call("max", {1, 5, 3}), call("min", {4, 2, 8}),
                call("floor", {1.7}), call("ceil", {1.2}), call("round", {2.567, 2}), call("round", {2.5, 0})}) ==
          "[6,2,8,24,3,1,5,2,1,2,2.57,3]");
    CHECK(
        json({call("typeOf", {call("add", {1, 2})}), call("typeOf", {call("int", {1})}),
              call("typeOf", {call("int64", {1})}), call("typeOf", {call("floor", {1})}), call("typeOf", {L({})}),
              call("typeOf", {D({})}), call("typeOf", {call("keys", {D({})})}), call("kindOf", {Value()}),
              call("typeOf", {Value()}), call("typeOf", {call("until", {2})})}) ==
        R"(["int64","int","int64","float64","[]interface {}","map[string]interface {}","[]string","invalid","\u003cnil\u003e","[]int"])");
    CHECK(error_of("div", {1, 0}) == "runtime error: integer divide by zero");
}

TEST_CASE("string functions", "[render][functions]") {
    CHECK(
        json({call("trunc", {3, "abcdef"}), call("trunc", {-2, "abcdef"}), call("trunc", {10, "ab"}),
              call("substr", {1, 3, "abcdef"}), call("substr", {-1, 2, "abc"}), call("substr", {1, -1, "abc"}),
              call("title", {"hello wORLD-foo_bar"}), call("untitle", {"Hello World"}),
              call("camelcase", {"hello_world-foo bar"}), call("snakecase", {"HelloWorld FooBar"}),
              call("kebabcase", {"HelloWorld fooBar"}), call("nospace", {" a b\tc "}), call("repeat", {3, "ab"}),
              call("plural", {"one", "many", 1}), call("plural", {"one", "many", 2})}) ==
        R"(["abc","ef","ab","bc","ab","bc","Hello WORLD-Foo_bar","hello world","HelloWorldFooBar","hello_world_foo_bar","hello-world-foo-bar","abc","ababab","one","many"])");
    CHECK(
        json({call("quote", {"a\"b", Value(), 3}), call("squote", {"x", Value(), 1.5}),
              call("cat", {"a", Value(), 1, "b"}), call("indent", {2, "a\nb"}), call("nindent", {2, "x"}),
              call("join", {",", L({1, Value(), "a"})}), call("splitList", {",", "a,b,,c"}),
              call("split", {",", "a,b"}), call("replace", {"a", "b", "banana"}), call("trimAll", {"xy", "xyaxby"}),
              call("trimPrefix", {"ab", "abab"}), call("trimSuffix", {"b", "abb"}), call("trim", {"  x  "}),
              call("contains", {"b", "abc"}), call("hasPrefix", {"a", "abc"}), call("hasSuffix", {"c", "abc"}),
              call("upper", {"a\xC3\xA9"}), call("wrap", {5, "hello world foo"})}) ==
        "[\"\\\"a\\\\\\\"b\\\" \\\"3\\\"\",\"'x' '1.5'\",\"a 1 b\",\"  a\\n  b\",\"\\n  x\",\"1,a\",[\"a\",\"b\",\"\","
        "\"c\"],{\"_0\":\"a\",\"_1\":\"b\"},\"bbnbnb\",\"axb\",\"ab\",\"ab\",\"x\",true,true,true,\"A\xC3\x89\","
        "\"hello\\nworld\\nfoo\"]");
}

TEST_CASE("list functions", "[render][functions]") {
    CHECK(
        json({call("first", {L({1, 2})}),
              call("last", {L({1, 2})}),
              call("rest", {L({1, 2, 3})}),
              call("initial", {L({1, 2, 3})}),
              call("uniq", {L({1, 1, "1", 2, 1.0})}),
              call("without", {L({1, 2, 1, 3}), 1}),
              call("compact", {L({0, "", Value(), "a", false, 1})}),
              call("sortAlpha", {L({"b", 10, "a", 9})}),
              call("reverse", {L({1, 2})}),
              call("has", {1, L({1, 2})}),
              call("has", {1.0, L({1, 2})}),
              call("append", {L({1}), 2}),
              call("prepend", {L({1}), 0}),
              call("concat", {L({1}), L({2, 3})}),
              call("until", {3}),
              call("untilStep", {0, 10, 3}),
              call("untilStep", {5, 0, -2}),
              call("seq", {3}),
              call("seq", {2, 5}),
              call("seq", {5, -1, 2}),
              call("first", {L({})}),
              call("rest", {L({})})}) ==
        R"([1,2,[2,3],[1,2],[1,"1",2,1],[2,3],["a",1],["10","9","a","b"],[2,1],true,false,[1,2],[0,1],[1,2,3],[0,1,2],[0,3,6,9],[5,3,1],"1 2 3","2 3 4 5","5 4 3 2",null,null])");
    CHECK(error_of("first", {"abc"}) == "Cannot find first on type string");
    CHECK(error_of("mustAppend", {1, 2}) == "Cannot push on type int");
}

TEST_CASE("dict functions", "[render][functions]") {
    CHECK(json({D({"a", 1, "b"}), call("get", {D({"a", 1}), "z"}), call("hasKey", {D({"a", 1}), "a"}),
                call("pick", {D({"a", 1, "b", 2}), "a"}), call("omit", {D({"a", 1, "b", 2}), "a"}),
                call("values", {D({"a", 1, "b", 2})}), call("dig", {"a", "b", "def", D({"a", D({"b", 5})})}),
                call("dig", {"a", "x", "def", D({"a", D({"b", 5})})}), call("set", {D({}), "k", "v"}),
                call("unset", {D({"a", 1, "b", 2}), "a"}), call("pluck", {"a", D({"a", 1}), D({"a", 2}), D({"b", 3})}),
                call("deepCopy", {D({"a", L({1})})})}) ==
          R"([{"a":1,"b":""},"",true,{"a":1},{"b":2},[1,2],5,"def",{"k":"v"},{"b":2},[1,2],{"a":[1]}])");
    MapRef values = make_map();
    values->type_name = "chartutil.Values";
    CHECK(error_of("dig", {"a", "d", Value(values)}) ==
          "interface conversion: interface {} is chartutil.Values, not map[string]interface {}");
}

TEST_CASE("defaults, conversions, encodings and digests", "[render][functions]") {
    CHECK(
        json({call("default", {"d", ""}),
              call("default", {"d", 0}),
              call("default", {"d", false}),
              call("default", {"d", "x"}),
              call("default", {"d", L({})}),
              call("default", {"d"}),
              call("empty", {0.0}),
              call("empty", {D({})}),
              call("coalesce", {Value(), "", 0, "x", "y"}),
              call("coalesce", {Value()}),
              call("ternary", {"y", "n", true}),
              call("toString", {1.5}),
              call("toString", {Value()}),
              call("toStrings", {L({1, Value(), "a"})}),
              call("atoi", {"12"}),
              call("atoi", {"x"}),
              call("toDecimal", {"777"}),
              call("toDecimal", {10}),
              call("b64enc", {"hi"}),
              call("b64dec", {"aGk="}),
              call("b64dec", {"!!"}),
              call("sha256sum", {"a"}),
              call("sha1sum", {"a"}),
              call("adler32sum", {"a"}),
              call("sha512sum", {"a"})}) ==
        R"(["d","d","d","x","d","d",true,true,"x",null,"y","1.5","\u003cnil\u003e",["1","a"],12,0,511,8,"aGk=","hi","illegal base64 data at input byte 0","ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb","86f7e437faa5a7fce15d1ddcb9eaeaea377667b8","6422626","1f40fc92da241694750979ee6cf582f2d5d7d28e18335de05abc54d0560e0f5302860c652bf08d560252aa5e74210546f369fbbbce8c12cfc7957b2652fe9a75"])");
}

TEST_CASE("Helm's YAML and JSON functions and the regex family", "[render][functions]") {
    CHECK(call("toYaml", {D({"b", L({1, "yes"}), "a", D({})})}).as_string() == "a: {}\nb:\n- 1\n- \"yes\"");
    CHECK(
        json({call("fromYaml", {"- a"})}) ==
        R"([{"Error":"error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"}])");
    CHECK(
        json({call("fromJson", {"[1]"}), call("fromJson", {R"({"a":)"}), call("fromYamlArray", {"- 1\n- x"})}) ==
        R"([{"Error":"json: cannot unmarshal array into Go value of type map[string]interface {}"},{"Error":"unexpected end of JSON input"},[1,"x"]])");
    CHECK(call("toPrettyJson", {D({"a", L({})})}).as_string() == "{\n  \"a\": []\n}");
    CHECK(call("toRawJson", {D({"a", "<&>"})}).as_string() == R"({"a":"<&>"})");
    CHECK(call("toJson", {D({"a", "<&>"})}).as_string() == R"({"a":"\u003c\u0026\u003e"})");
    CHECK(json({call("regexReplaceAll", {"a(x*)b", "-ab-axxb-", "${1}W"}), call("regexFindAll", {"a*", "baaab", -1}),
                call("regexSplit", {",", "a,b,c", 2}), call("regexMatch", {"(", "abc"}),
                call("regexFind", {"[0-9]+", "ab12cd34"})}) == R"(["-W-xxW-",["","aaa",""],["a","b,c"],false,"12"])");
    CHECK(error_of("regexFind", {"(", "a"}) == "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`");
    CHECK(error_of("mustRegexFind", {"(", "a"}) == "error parsing regexp: missing closing ): `(`");
    CHECK(call("lookup", {"v1", "Secret", "ns", "name"}).as_map()->entries.empty());
    std::string uuid = call("uuidv4").as_string();
    CHECK(uuid.size() == 36);
    CHECK(uuid[14] == '4');
    std::string random = call("randAlphaNum", {16}).as_string();
    CHECK(random.size() == 16);
    CHECK(random.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") ==
          std::string::npos);
}

TEST_CASE("certificates, dates and durations have Sprig's shapes", "[render][functions]") {
    Value ca = call("genCA", {"my-ca", 365});
    REQUIRE(ca.is_object());
    CHECK(type_name(ca) == "sprig.certificate");
    CHECK(ca.as_object()->field("Cert")->as_string().starts_with("-----BEGIN CERTIFICATE-----"));
    CHECK(ca.as_object()->field("Key")->as_string().starts_with("-----BEGIN RSA PRIVATE KEY-----"));
    Value signed_cert = call("genSignedCert", {"svc", L({"10.0.0.1"}), L({"svc.local"}), 30, ca});
    CHECK(signed_cert.as_object()->field("Cert")->as_string().starts_with("-----BEGIN CERTIFICATE-----"));
    CHECK(call("genPrivateKey", {"ecdsa"}).as_string().starts_with("-----BEGIN EC PRIVATE KEY-----"));
    CHECK(call("genPrivateKey", {"x"}).as_string() == "Unknown type x");
    CHECK(call("dateInZone", {"2006-01-02T15:04:05Z07:00 Mon Jan _2 3PM .000", 1700000000, "UTC"}).as_string() ==
          "2023-11-14T22:13:20Z Tue Nov 14 10PM .000");
    CHECK(call("durationRound", {"2h10m"}).as_string() == "2h");
    CHECK(call("durationRound", {"49h"}).as_string() == "2d");
    CHECK(call("duration", {"95"}).as_string() == "1m35s");
    CHECK(type_name(call("now")) == "time.Time");
}
