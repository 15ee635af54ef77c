// Go's builtins and, or, not, len, index, slice, print, printf, println and call (funcs.go),
// with Go's error texts ("index out of range: 5", "can't index item of type string", ...).
#include "charts/render/builtins.hpp"
#include "charts/render/exec.hpp"
#include "charts/render/format.hpp"

namespace sealift::render {
namespace {

using P = ParamType;

Value length(const Value& v) {
    switch (v.kind()) {
    case Value::Kind::nil: throw FunctionError("len of nil pointer");
    case Value::Kind::string: return Value(static_cast<std::int64_t>(v.as_string().size()));
    case Value::Kind::list: return Value(static_cast<std::int64_t>(v.as_list()->items.size()));
    case Value::Kind::map: return Value(static_cast<std::int64_t>(v.as_map()->entries.size()));
    case Value::Kind::object:
        if (auto n = v.as_object()->length()) return Value(*n);
        break;
    default: break;
    }
    throw FunctionError("len of type " + type_name(v));
}

// Go's indexArg: an integer index within [0, cap].
std::int64_t index_arg(const Value& index, size_t cap) {
    if (index.is_nil()) throw FunctionError("cannot index slice/array with nil");
    if (!index.is_int()) throw FunctionError("cannot index slice/array with type " + type_name(index));
    std::int64_t x = index.as_int();
    if (x < 0 || static_cast<std::uint64_t>(x) > cap) throw FunctionError("index out of range: " + std::to_string(x));
    return x;
}

Value index(Args args) {
    Value item = args[0];
    if (item.is_nil()) throw FunctionError("index of untyped nil");
    for (size_t i = 1; i < args.size(); ++i) {
        const Value& key = args[i];
        switch (item.kind()) {
        case Value::Kind::nil: throw FunctionError("index of nil pointer");
        case Value::Kind::list: {
            const auto& items = item.as_list()->items;
            std::int64_t x = index_arg(key, items.size());
            if (static_cast<size_t>(x) == items.size()) throw FunctionError("reflect: slice index out of range");
            Value next = items[x];
            item = std::move(next);
            break;
        }
        case Value::Kind::string: {
            const auto& s = item.as_string();
            std::int64_t x = index_arg(key, s.size());
            if (static_cast<size_t>(x) == s.size()) throw FunctionError("reflect: string index out of range");
            item = Value(static_cast<std::int64_t>(static_cast<unsigned char>(s[x])));
            break;
        }
        case Value::Kind::map: {
            if (key.is_nil()) {
                throw FunctionError("value is nil; should be of type string");
            }
            if (!key.is_string()) throw FunctionError("value has type " + type_name(key) + "; should be string");
            const Value* found = item.find(key.as_string());
            Value next = found ? *found : Value();
            item = std::move(next);
            break;
        }
        default: throw FunctionError("can't index item of type " + type_name(item));
        }
    }
    return item;
}

Value slice(Args args) {
    const Value& item = args[0];
    if (item.is_nil()) throw FunctionError("slice of untyped nil");
    size_t n = args.size() - 1;
    if (n > 3) throw FunctionError("too many slice indexes: " + std::to_string(n));
    size_t len = 0;
    if (item.is_string()) {
        if (n == 3) throw FunctionError("cannot 3-index slice a string");
        len = item.as_string().size();
    } else if (item.is_list()) {
        len = item.as_list()->items.size();
    } else {
        throw FunctionError("can't slice item of type " + type_name(item));
    }
    std::int64_t idx[3] = {0, static_cast<std::int64_t>(len), static_cast<std::int64_t>(len)};
    for (size_t i = 0; i < n; ++i) idx[i] = index_arg(args[i + 1], len);
    if (idx[0] > idx[1])
        throw FunctionError("invalid slice index: " + std::to_string(idx[0]) + " > " + std::to_string(idx[1]));
    if (n == 3 && idx[1] > idx[2])
        throw FunctionError("invalid slice index: " + std::to_string(idx[1]) + " > " + std::to_string(idx[2]));
    if (item.is_string()) return Value(item.as_string().substr(idx[0], idx[1] - idx[0]));
    auto out = std::make_shared<List>();
    out->type_name = item.as_list()->type_name;
    const auto& items = item.as_list()->items;
    out->items.assign(items.begin() + idx[0], items.begin() + idx[1]);
    return Value(out);
}

Value call(Args args) {
    if (args[0].is_nil()) throw FunctionError("call of nil");
    throw FunctionError("non-function of type " + type_name(args[0]));
}

}  // namespace

void add_core_builtins(FunctionTable& table) {
    // and/or short-circuit in the executor; these bodies serve calls that reach them otherwise.
    table.add("and", Function{{P::any}, P::any, [](Execution&, Args a) {
                                  for (const auto& v : a)
                                      if (!truthy(v)) return v;
                                  return a.back();
                              }});
    table.add("or", Function{{P::any}, P::any, [](Execution&, Args a) {
                                 for (const auto& v : a)
                                     if (truthy(v)) return v;
                                 return a.back();
                             }});
    table.add("not", Function{{P::any}, std::nullopt, [](Execution&, Args a) { return Value(!truthy(a[0])); }});
    table.add("len", Function{{P::any}, std::nullopt, [](Execution&, Args a) { return length(a[0]); }});
    table.add("index", Function{{P::any}, P::any, [](Execution&, Args a) { return index(a); }});
    table.add("slice", Function{{P::any}, P::any, [](Execution&, Args a) { return slice(a); }});
    table.add("print", Function{{}, P::any, [](Execution&, Args a) { return Value(sprint(a)); }});
    table.add("println", Function{{}, P::any, [](Execution&, Args a) { return Value(sprintln(a)); }});
    table.add("printf", Function{{P::string}, P::any, [](Execution&, Args a) {
                                     return Value(sprintf(a[0].as_string(), a.subspan(1)));
                                 }});
    table.add("call", Function{{P::any}, P::any, [](Execution&, Args a) { return call(a); }});
}

const FunctionTable& builtin_functions() {
    static const FunctionTable table = [] {
        FunctionTable t;
        add_core_builtins(t);
        add_comparison_builtins(t);
        add_escape_builtins(t);
        return t;
    }();
    return table;
}

}  // namespace sealift::render
