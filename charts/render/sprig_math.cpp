// Sprig's integer and float arithmetic (numeric.go): every argument goes through spf13/cast
// (strings parsed, floats truncated, nil 0), integer results are int64, floor/ceil/round float64.
#include <cmath>

#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"

namespace sealift::render {
namespace {

using P = ParamType;

Value i64(std::int64_t v) { return Value(v, IntType::go_int64); }

std::int64_t divisor(const Value& v) {
    std::int64_t d = cast_to_int64(v);
    if (d == 0) throw FunctionError("runtime error: integer divide by zero");
    return d;
}

}  // namespace

void add_math_functions(FunctionTable& t) {
    add_function(
        t, "add", {},
        [](Args a) {
            std::int64_t sum = 0;
            for (const Value& v : a) sum += cast_to_int64(v);
            return i64(sum);
        },
        P::any);
    add_function(t, "add1", {P::any}, [](Args a) { return i64(cast_to_int64(a[0]) + 1); });
    add_function(t, "sub", {P::any, P::any}, [](Args a) { return i64(cast_to_int64(a[0]) - cast_to_int64(a[1])); });
    add_function(
        t, "mul", {P::any},
        [](Args a) {
            std::int64_t product = cast_to_int64(a[0]);
            for (size_t i = 1; i < a.size(); ++i) product *= cast_to_int64(a[i]);
            return i64(product);
        },
        P::any);
    add_function(t, "div", {P::any, P::any}, [](Args a) { return i64(cast_to_int64(a[0]) / divisor(a[1])); });
    add_function(t, "mod", {P::any, P::any}, [](Args a) { return i64(cast_to_int64(a[0]) % divisor(a[1])); });
    for (bool is_max : {true, false}) {
        add_function(
            t, is_max ? "max" : "min", {P::any},
            [is_max](Args a) {
                std::int64_t best = cast_to_int64(a[0]);
                for (size_t i = 1; i < a.size(); ++i) {
                    std::int64_t v = cast_to_int64(a[i]);
                    if (is_max ? v > best : v < best) best = v;
                }
                return i64(best);
            },
            P::any);
        add_function(
            t, is_max ? "maxf" : "minf", {P::any},
            [is_max](Args a) {
                double best = cast_to_float64(a[0]);
                for (size_t i = 1; i < a.size(); ++i)
                    best = is_max ? std::max(best, cast_to_float64(a[i])) : std::min(best, cast_to_float64(a[i]));
                return Value(best);
            },
            P::any);
    }
    add_function(t, "floor", {P::any}, [](Args a) { return Value(std::floor(cast_to_float64(a[0]))); });
    add_function(t, "ceil", {P::any}, [](Args a) { return Value(std::ceil(cast_to_float64(a[0]))); });
    add_function(
        t, "round", {P::any, P::integer},
        [](Args a) {
            double round_on = a.size() > 2 ? a[2].as_float() : 0.5;
            double pow = std::pow(10.0, double(a[1].as_int()));
            double digit = pow * cast_to_float64(a[0]);
            double whole = 0;
            double fraction = std::modf(digit, &whole);
            return Value((fraction >= round_on ? std::ceil(digit) : std::floor(digit)) / pow);
        },
        P::float64);
    add_function(t, "int", {P::any}, [](Args a) { return Value(cast_to_int64(a[0])); });
    add_function(t, "int64", {P::any}, [](Args a) { return i64(cast_to_int64(a[0])); });
    add_function(t, "float64", {P::any}, [](Args a) { return Value(cast_to_float64(a[0])); });
    add_function(t, "atoi", {P::string}, [](Args a) {
        const std::string& s = a[0].as_string();
        size_t i = !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
        if (i == s.size()) return Value(0);
        for (size_t k = i; k < s.size(); ++k)
            if (s[k] < '0' || s[k] > '9') return Value(0);
        errno = 0;
        long long v = std::strtoll(s.c_str(), nullptr, 10);
        return errno ? Value(0) : Value(std::int64_t(v));
    });
    // toDecimal: the argument's %v read as an octal number (Sprig's "unix permissions" helper).
    add_function(t, "toDecimal", {P::any}, [](Args a) {
        std::string s = strval(a[0]);
        size_t i = !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
        if (i == s.size()) return i64(0);
        std::int64_t v = 0;
        for (size_t k = i; k < s.size(); ++k) {
            if (s[k] < '0' || s[k] > '7') return i64(0);
            v = v * 8 + (s[k] - '0');
        }
        return i64(s[0] == '-' ? -v : v);
    });
}

}  // namespace sealift::render
