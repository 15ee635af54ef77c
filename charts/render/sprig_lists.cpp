// Sprig's list functions (list.go, numeric.go's until/untilStep/seq). They take any Go slice
// ([]interface{}, []string, []int) and give []interface{}; on anything else they fail with
// Sprig's "Cannot <verb> on type <kind>" (the non-must forms panic with it, which Go's template
// reports the same way).
#include <algorithm>

#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"

namespace sealift::render {
namespace {

using P = ParamType;

const std::vector<Value>& items_or_fail(const Value& v, const std::string& what) {
    if (v.is_nil()) throw FunctionError("runtime error: invalid memory address or nil pointer dereference");
    const auto* items = list_items(v);
    if (!items) {
        if (v.is_list()) {  // a nil list
            static const std::vector<Value> none;
            return none;
        }
        throw FunctionError("Cannot " + what + " on type " + go_kind(v));
    }
    return *items;
}

Value int_list(const std::vector<std::int64_t>& values) {
    std::vector<Value> items;
    for (std::int64_t v : values) items.emplace_back(v);
    ListRef l = make_list(std::move(items));
    l->type_name = "[]int";
    return Value(l);
}

std::vector<std::int64_t> until_step(std::int64_t start, std::int64_t stop, std::int64_t step) {
    std::vector<std::int64_t> v;
    if (stop < start) {
        if (step >= 0) return v;
        for (std::int64_t i = start; i > stop; i += step) v.push_back(i);
        return v;
    }
    if (step <= 0) return v;
    for (std::int64_t i = start; i < stop; i += step) v.push_back(i);
    return v;
}

std::string joined(const std::vector<std::int64_t>& v) {
    std::string out;
    for (std::int64_t i : v) {
        if (!out.empty()) out += ' ';
        out += std::to_string(i);
    }
    return out;
}

bool contains(const std::vector<Value>& list, const Value& needle) {
    return std::any_of(list.begin(), list.end(), [&](const Value& v) { return go_deep_equal(v, needle); });
}

void both(FunctionTable& t, const std::string& name, std::vector<ParamType> params, std::function<Value(Args)> impl,
          std::optional<ParamType> rest = std::nullopt) {
    add_function(t, name, params, impl, rest);
    std::string must = "must" + name;
    must[4] = char(std::toupper(static_cast<unsigned char>(must[4])));
    add_function(t, must, params, impl, rest);
}

}  // namespace

void add_list_functions(FunctionTable& t) {
    add_function(
        t, "list", {}, [](Args a) { return list_value(std::vector<Value>(a.begin(), a.end())); }, P::any);
    auto push = [](Args a) {
        std::vector<Value> out = items_or_fail(a[0], "push");
        out.push_back(a[1]);
        return list_value(std::move(out));
    };
    both(t, "append", {P::any, P::any}, push);
    both(t, "push", {P::any, P::any}, push);
    both(t, "prepend", {P::any, P::any}, [](Args a) {
        std::vector<Value> out{a[1]};
        const auto& items = items_or_fail(a[0], "prepend");
        out.insert(out.end(), items.begin(), items.end());
        return list_value(std::move(out));
    });
    add_function(
        t, "concat", {},
        [](Args a) {
            std::vector<Value> out;
            for (const Value& l : a) {
                if (!l.is_list()) throw FunctionError("Cannot concat type " + go_kind(l) + " as list");
                if (const auto* items = list_items(l)) out.insert(out.end(), items->begin(), items->end());
            }
            return list_value(std::move(out));
        },
        P::any);
    both(t, "first", {P::any}, [](Args a) {
        const auto& items = items_or_fail(a[0], "find first");
        return items.empty() ? Value() : items.front();
    });
    both(t, "last", {P::any}, [](Args a) {
        const auto& items = items_or_fail(a[0], "find last");
        return items.empty() ? Value() : items.back();
    });
    both(t, "rest", {P::any}, [](Args a) {
        const auto& items = items_or_fail(a[0], "find rest");
        if (items.empty()) return Value();
        return list_value(std::vector<Value>(items.begin() + 1, items.end()));
    });
    both(t, "initial", {P::any}, [](Args a) {
        const auto& items = items_or_fail(a[0], "find initial");
        if (items.empty()) return Value();
        return list_value(std::vector<Value>(items.begin(), items.end() - 1));
    });
    both(t, "reverse", {P::any}, [](Args a) {
        const auto& items = items_or_fail(a[0], "find reverse");
        return list_value(std::vector<Value>(items.rbegin(), items.rend()));
    });
    both(t, "uniq", {P::any}, [](Args a) {
        std::vector<Value> out;
        for (const Value& v : items_or_fail(a[0], "find uniq"))
            if (!contains(out, v)) out.push_back(v);
        return list_value(std::move(out));
    });
    both(
        t, "without", {P::any},
        [](Args a) {
            std::vector<Value> omit(a.begin() + 1, a.end()), out;
            for (const Value& v : items_or_fail(a[0], "find without"))
                if (!contains(omit, v)) out.push_back(v);
            return list_value(std::move(out));
        },
        P::any);
    both(t, "compact", {P::any}, [](Args a) {
        std::vector<Value> out;
        for (const Value& v : items_or_fail(a[0], "compact"))
            if (!sprig_empty(v)) out.push_back(v);
        return list_value(std::move(out));
    });
    both(t, "has", {P::any, P::any}, [](Args a) {
        if (a[1].is_nil()) return Value(false);
        return Value(contains(items_or_fail(a[1], "find has"), a[0]));
    });
    add_function(t, "sortAlpha", {P::any}, [](Args a) {
        if (!a[0].is_list()) return string_list_value({strval(a[0])});
        std::vector<std::string> s = strslice(a[0]);
        std::sort(s.begin(), s.end());
        return string_list_value(std::move(s));
    });
    add_function(t, "until", {P::integer}, [](Args a) {
        std::int64_t n = a[0].as_int();
        return int_list(until_step(0, n, n < 0 ? -1 : 1));
    });
    add_function(t, "untilStep", {P::integer, P::integer, P::integer},
                 [](Args a) { return int_list(until_step(a[0].as_int(), a[1].as_int(), a[2].as_int())); });
    add_function(
        t, "seq", {},
        [](Args a) {
            switch (a.size()) {
            case 1: {
                std::int64_t end = a[0].as_int(), inc = end < 1 ? -1 : 1;
                return Value(joined(until_step(1, end + inc, inc)));
            }
            case 2: {
                std::int64_t start = a[0].as_int(), end = a[1].as_int(), step = end < start ? -1 : 1;
                return Value(joined(until_step(start, end + step, step)));
            }
            case 3: {
                std::int64_t start = a[0].as_int(), step = a[1].as_int(), end = a[2].as_int(), inc = 1;
                if (end < start) {
                    inc = -1;
                    if (step > 0) return Value("");
                }
                return Value(joined(until_step(start, end + inc, step)));
            }
            default: return Value("");
            }
        },
        P::integer);
}

}  // namespace sealift::render
