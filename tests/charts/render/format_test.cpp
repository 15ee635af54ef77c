#include <catch2/catch.hpp>

#include "charts/render/format.hpp"

using namespace sealift::render;

namespace {
std::string f(std::string_view format, std::vector<Value> args) { return sprintf(format, args); }
}  // namespace

TEST_CASE("%v of values is fmt's", "[render][format]") {
    CHECK(format_value(Value()) == "<nil>");
    CHECK(format_value(Value(1000000.0)) == "1e+06");
    CHECK(format_value(Value(100000.0)) == "100000");
    CHECK(format_value(Value(1.5)) == "1.5");
    CHECK(format_value(Value(0.00001)) == "1e-05");
    CHECK(format_value(Value(0.0001)) == "0.0001");
    CHECK(format_value(Value(123456789.0)) == "1.23456789e+08");
    CHECK(format_value(Value(-0.0)) == "-0");
    CHECK(format_value(Value(3)) == "3");
    auto m = make_map();
    m->entries["b"] = Value(2.0);
    m->entries["a"] = Value(make_list({Value("x"), Value(), Value(true)}));
    CHECK(format_value(Value(m)) == "map[a:[x <nil> true] b:2]");
    CHECK(format_value(Value(MapRef())) == "<nil>");
}

TEST_CASE("sprint puts spaces only between non-strings", "[render][format]") {
    std::vector<Value> args{Value("a"), Value(1), Value(2), Value("b"), Value("c")};
    CHECK(sprint(args) == "a1 2bc");
    CHECK(sprintln(args) == "a 1 2 b c\n");
}

TEST_CASE("printf verbs, flags, widths and precisions", "[render][format]") {
    CHECK(
        f("%d|%5d|%-5d|%05d|%+d|%x|%X|%#x|%o|%b|%c|%q|%U", {1, 42, 42, -42, 3, 255, 255, 255, 8, 5, 65, 65, 0x1F600}) ==
        "1|   42|42   |-0042|+3|ff|FF|0xff|10|101|A|'A'|U+1F600");
    CHECK(f("%s|%10s|%-4s|%.2s|%q|%x|%v", {"go", "right", "l", "hello", "a\"b\n", "hi", "v"}) ==
          "go|     right|l   |he|\"a\\\"b\\n\"|6869|v");
    CHECK(f("%f|%.2f|%8.3f|%e|%g|%.3g|%G", {1.5, 3.14159, 2.5, 1234.5678, 1e21, 1.0, 1e-7}) ==
          "1.500000|3.14|   2.500|1.234568e+03|1e+21|1|1E-07");
    CHECK(f("%t|%v|%%|%T", {true, false, 1.0}) == "true|false|%|float64");
}

TEST_CASE("printf's texts for operands that do not fit", "[render][format]") {
    CHECK(f("%d", {"x"}) == "%!d(string=x)");
    CHECK(f("%d", {80.0}) == "%!d(float64=80)");
    CHECK(f("%s", {5}) == "%!s(int=5)");
    CHECK(f("%s", {Value()}) == "%!s(<nil>)");
    CHECK(f("%d %d", {1}) == "1 %!d(MISSING)");
    CHECK(f("%d", {1, "a", Value()}) == "1%!(EXTRA string=a, <nil>)");
    CHECK(f("%", {}) == "%!(NOVERB)");
    CHECK(f("%d", {Value(make_list({Value(1), Value(2)}))}) == "[1 2]");
}
