#include "charts/render/sprig_support.hpp"

#include <cmath>
#include <cstdlib>

#include "charts/render/format.hpp"
#include "charts/render/yaml_resolve.hpp"

namespace sealift::render {

void add_function(FunctionTable& table, std::string name, std::vector<ParamType> params,
                  std::function<Value(Args)> impl, std::optional<ParamType> rest) {
    Function f;
    f.params = std::move(params);
    f.variadic = rest;
    f.impl = [impl = std::move(impl)](Execution&, Args args) { return impl(args); };
    table.add(std::move(name), std::move(f));
}

std::string strval(const Value& v) { return v.is_string() ? v.as_string() : format_value(v); }

const std::vector<Value>* list_items(const Value& v) {
    if (!v.is_list() || !v.as_list()) return nullptr;
    return &v.as_list()->items;
}

std::vector<std::string> strslice(const Value& v) {
    std::vector<std::string> out;
    if (v.is_nil()) return out;
    if (v.is_list()) {
        if (const auto* items = list_items(v))
            for (const Value& item : *items)
                if (!item.is_nil()) out.push_back(strval(item));
        return out;
    }
    out.push_back(strval(v));
    return out;
}

namespace {

// cast's trimZeroDecimal: "12.00" -> "12"; anything else unchanged.
std::string trim_zero_decimal(const std::string& s) {
    size_t dot = s.find('.');
    if (dot == std::string::npos || dot + 1 == s.size()) return s;
    for (size_t i = dot + 1; i < s.size(); ++i)
        if (s[i] != '0') return s;
    return s.substr(0, dot);
}

}  // namespace

std::int64_t cast_to_int64(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::integer: return v.as_int();
    case Value::Kind::floating: {
        double f = v.as_float();
        if (std::isnan(f)) return std::numeric_limits<std::int64_t>::min();
        if (f >= 9.2233720368547758e18 || f < -9.2233720368547758e18) return std::numeric_limits<std::int64_t>::min();
        return std::int64_t(f);
    }
    case Value::Kind::boolean: return v.as_bool() ? 1 : 0;
    case Value::Kind::string: {
        std::int64_t out = 0;
        return go_parse_int_base0(trim_zero_decimal(v.as_string()), out) ? out : 0;
    }
    default: return 0;
    }
}

double cast_to_float64(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::integer: return double(v.as_int());
    case Value::Kind::floating: return v.as_float();
    case Value::Kind::boolean: return v.as_bool() ? 1 : 0;
    case Value::Kind::string: {
        double out = 0;
        return go_parse_float(v.as_string(), out) ? out : 0;
    }
    default: return 0;
    }
}

bool sprig_empty(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::nil: return true;
    case Value::Kind::boolean: return !v.as_bool();
    case Value::Kind::integer: return v.as_int() == 0;
    case Value::Kind::floating: return v.as_float() == 0;
    case Value::Kind::string: return v.as_string().empty();
    case Value::Kind::list: return !v.as_list() || v.as_list()->items.empty();
    case Value::Kind::map: return !v.as_map() || v.as_map()->entries.empty();
    case Value::Kind::object: {
        auto n = v.as_object()->length();
        return n && *n == 0;
    }
    }
    return true;
}

bool go_deep_equal(const Value& a, const Value& b) {
    if (a.kind() != b.kind()) return false;
    switch (a.kind()) {
    case Value::Kind::nil: return true;
    case Value::Kind::boolean: return a.as_bool() == b.as_bool();
    case Value::Kind::integer: return a.int_type() == b.int_type() && a.as_int() == b.as_int();
    case Value::Kind::floating: return a.as_float() == b.as_float();
    case Value::Kind::string: return a.as_string() == b.as_string();
    case Value::Kind::list: {
        if (type_name(a) != type_name(b)) return false;
        const auto* x = list_items(a);
        const auto* y = list_items(b);
        if (!x || !y) return x == y;
        if (x->size() != y->size()) return false;
        for (size_t i = 0; i < x->size(); ++i)
            if (!go_deep_equal((*x)[i], (*y)[i])) return false;
        return true;
    }
    case Value::Kind::map: {
        if (type_name(a) != type_name(b)) return false;
        const auto& x = a.as_map();
        const auto& y = b.as_map();
        if (!x || !y) return x == y;
        if (x->entries.size() != y->entries.size()) return false;
        for (const auto& [key, value] : x->entries) {
            auto found = y->entries.find(key);
            if (found == y->entries.end() || !go_deep_equal(value, found->second)) return false;
        }
        return true;
    }
    case Value::Kind::object: return a.as_object() == b.as_object();
    }
    return false;
}

Value list_value(std::vector<Value> items) { return Value(make_list(std::move(items))); }

Value string_list_value(std::vector<std::string> items) { return Value(make_string_list(std::move(items))); }

std::string go_kind(const Value& v) { return kind_name(v); }

}  // namespace sealift::render
