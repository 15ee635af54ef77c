// Go's comparison builtins (funcs.go): eq, ne, lt, le, gt, ge over basic kinds only, with Go's
// refusals: an int against a float64 is "incompatible types for comparison", a map against a map
// "non-comparable type", while anything against nil is simply unequal.
#include "charts/render/builtins.hpp"

#include "charts/render/format.hpp"

namespace sealift::render {
namespace {

enum class BasicKind { invalid, boolean, integer, floating, string, other };

BasicKind basic_kind(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::nil: return BasicKind::invalid;
    case Value::Kind::boolean: return BasicKind::boolean;
    case Value::Kind::integer: return BasicKind::integer;
    case Value::Kind::floating: return BasicKind::floating;
    case Value::Kind::string: return BasicKind::string;
    default: return BasicKind::other;
    }
}

// Go 1.2x names both types: "incompatible types for comparison: float64 and int".
[[noreturn]] void bad_comparison(const Value& a, const Value& b) {
    throw FunctionError("incompatible types for comparison: " + type_name(a) + " and " + type_name(b));
}
[[noreturn]] void bad_comparison_type() { throw FunctionError("invalid type for comparison"); }

bool equal_pair(const Value& a, const Value& b) {
    BasicKind k1 = basic_kind(a), k2 = basic_kind(b);
    // Go reports non-basic values (maps, lists, structs) as one kind here, nil as another.
    if (k1 == BasicKind::other) k1 = BasicKind::invalid;
    if (k2 == BasicKind::other) k2 = BasicKind::invalid;
    if (k1 != k2) {
        if (!a.is_nil() && !b.is_nil()) bad_comparison(a, b);
        return false;
    }
    switch (k1) {
    case BasicKind::boolean: return a.as_bool() == b.as_bool();
    case BasicKind::integer: return a.as_int() == b.as_int();
    case BasicKind::floating: return a.as_float() == b.as_float();
    case BasicKind::string: return a.as_string() == b.as_string();
    default: break;
    }
    if (a.is_nil() || b.is_nil()) return a.is_nil() == b.is_nil();
    if (a.is_object() && b.is_object()) return a.as_object() == b.as_object();
    const Value& uncomparable = (b.is_list() || b.is_map()) ? b : a;
    Value operand[] = {uncomparable};
    throw FunctionError("non-comparable type " + sprintf("%s", operand) + ": " + type_name(uncomparable));
}

bool eq(Args args) {
    if (args.size() < 2) throw FunctionError("missing argument for comparison");
    for (size_t i = 1; i < args.size(); ++i)
        if (equal_pair(args[0], args[i])) return true;
    return false;
}

bool lt(const Value& a, const Value& b) {
    BasicKind k1 = basic_kind(a);
    if (k1 == BasicKind::invalid || k1 == BasicKind::other) bad_comparison_type();
    BasicKind k2 = basic_kind(b);
    if (k2 == BasicKind::invalid || k2 == BasicKind::other) bad_comparison_type();
    if (k1 != k2) bad_comparison(a, b);
    switch (k1) {
    case BasicKind::integer: return a.as_int() < b.as_int();
    case BasicKind::floating: return a.as_float() < b.as_float();
    case BasicKind::string: return a.as_string() < b.as_string();
    default: bad_comparison_type();
    }
}

bool le(const Value& a, const Value& b) {
    if (lt(a, b)) return true;
    Value pair[] = {a, b};
    return eq(pair);
}

}  // namespace

void add_comparison_builtins(FunctionTable& table) {
    using P = ParamType;
    table.add("eq", Function{{P::any}, P::any, [](Execution&, Args a) { return Value(eq(a)); }});
    table.add("ne", Function{{P::any, P::any}, std::nullopt, [](Execution&, Args a) { return Value(!eq(a)); }});
    table.add("lt", Function{{P::any, P::any}, std::nullopt, [](Execution&, Args a) { return Value(lt(a[0], a[1])); }});
    table.add("le", Function{{P::any, P::any}, std::nullopt, [](Execution&, Args a) { return Value(le(a[0], a[1])); }});
    table.add("gt",
              Function{{P::any, P::any}, std::nullopt, [](Execution&, Args a) { return Value(!le(a[0], a[1])); }});
    table.add("ge",
              Function{{P::any, P::any}, std::nullopt, [](Execution&, Args a) { return Value(!lt(a[0], a[1])); }});
}

}  // namespace sealift::render
