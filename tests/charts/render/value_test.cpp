#include <catch2/catch.hpp>

#include "charts/render/value.hpp"

using namespace sealift::render;

TEST_CASE("Go's truthiness of template values", "[render][value]") {
    CHECK_FALSE(truthy(Value()));
    CHECK_FALSE(truthy(Value(false)));
    CHECK_FALSE(truthy(Value(0)));
    CHECK_FALSE(truthy(Value(0.0)));
    CHECK_FALSE(truthy(Value("")));
    CHECK_FALSE(truthy(Value(make_list())));
    CHECK_FALSE(truthy(Value(make_map())));
    CHECK_FALSE(truthy(Value(ListRef())));
    CHECK(truthy(Value(true)));
    CHECK(truthy(Value(-1)));
    CHECK(truthy(Value(0.5)));
    CHECK(truthy(Value("0")));
    CHECK(truthy(Value(make_list({Value()}))));
}

TEST_CASE("typeOf and kindOf names are Go's", "[render][value]") {
    CHECK(type_name(Value()) == "<nil>");
    CHECK(kind_name(Value()) == "invalid");
    CHECK(type_name(Value(1)) == "int");
    CHECK(type_name(Value(std::int64_t{1}, IntType::go_int64)) == "int64");
    CHECK(kind_name(Value(std::int64_t{1}, IntType::go_int64)) == "int64");
    CHECK(type_name(Value(1.0)) == "float64");
    CHECK(type_name(Value("s")) == "string");
    CHECK(type_name(Value(true)) == "bool");
    CHECK(type_name(Value(make_list())) == "[]interface {}");
    CHECK(kind_name(Value(make_list())) == "slice");
    CHECK(type_name(Value(make_string_list({"a"}))) == "[]string");
    CHECK(type_name(Value(make_map())) == "map[string]interface {}");
    CHECK(kind_name(Value(make_map())) == "map");
}

TEST_CASE("JSON numbers become float64; maps are shared by reference and sorted", "[render][value]") {
    Value v = from_json(nlohmann::json::parse(R"({"b": 1, "a": [2.5, "x", null, true], "c": {}})"));
    REQUIRE(v.is_map());
    CHECK(v.find("b")->is_float());
    CHECK(v.find("b")->as_float() == 1.0);
    std::vector<std::string> keys;
    for (const auto& [k, _] : v.as_map()->entries) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"a", "b", "c"});
    Value alias = v;
    alias.as_map()->entries["d"] = Value("new");
    CHECK(v.find("d") != nullptr);
    Value copy = deep_copy(v);
    copy.as_map()->entries["e"] = Value(1);
    CHECK(v.find("e") == nullptr);
    CHECK(to_json(v) == nlohmann::json::parse(R"({"a": [2.5, "x", null, true], "b": 1.0, "c": {}, "d": "new"})"));
}
