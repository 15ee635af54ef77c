// Sprig's dict functions (dict.go). Maps are shared by reference as in Go: set, unset, merge and
// mergeOverwrite change the map they are given and return it.
#include "charts/render/sprig_families.hpp"
#include "charts/render/sprig_support.hpp"

namespace sealift::render {
namespace {

using P = ParamType;

std::map<std::string, Value, std::less<>>& entries(const Value& m) {
    if (!m.as_map()) throw FunctionError("assignment to entry in nil map");
    return m.as_map()->entries;
}

// mergo.Merge: src fills keys dst lacks or holds an empty value for; maps merge deeply; nils in
// src are skipped. With overwrite (mergeOverwrite) every src key replaces dst's, maps still deep.
void mergo(Map& dst, const Map& src, bool overwrite) {
    for (const auto& [key, value] : src.entries) {
        if (value.is_nil() && !overwrite) continue;
        auto found = dst.entries.find(key);
        if (found != dst.entries.end() && found->second.is_map() && value.is_map() && found->second.as_map() &&
            value.as_map()) {
            mergo(*found->second.as_map(), *value.as_map(), overwrite);
            continue;
        }
        if (overwrite || found == dst.entries.end() || sprig_empty(found->second)) dst.entries[key] = value;
    }
}

Value dig_from(const Value& dict, const Value& fallback, Args keys, size_t i) {
    if (!dict.is_map() || dict.as_map()->type_name != "map[string]interface {}")
        throw FunctionError("interface conversion: interface {} is " + type_name(dict) +
                            ", not map[string]interface {}");
    const auto& m = dict.as_map()->entries;
    if (!keys[i].is_string())
        throw FunctionError("interface conversion: interface {} is " + type_name(keys[i]) + ", not string");
    auto found = m.find(keys[i].as_string());
    if (found == m.end()) return fallback;
    if (i + 1 == keys.size()) return found->second;
    return dig_from(found->second, fallback, keys, i + 1);
}

}  // namespace

void add_dict_functions(FunctionTable& t) {
    add_function(
        t, "dict", {},
        [](Args a) {
            MapRef m = make_map();
            for (size_t i = 0; i < a.size(); i += 2) m->entries[strval(a[i])] = i + 1 < a.size() ? a[i + 1] : Value("");
            return Value(m);
        },
        P::any);
    add_function(t, "get", {P::map, P::string}, [](Args a) {
        if (!a[0].as_map()) return Value("");
        auto found = a[0].as_map()->entries.find(a[1].as_string());
        return found == a[0].as_map()->entries.end() ? Value("") : found->second;
    });
    add_function(t, "set", {P::map, P::string, P::any}, [](Args a) {
        entries(a[0])[a[1].as_string()] = a[2];
        return a[0];
    });
    add_function(t, "unset", {P::map, P::string}, [](Args a) {
        if (a[0].as_map()) a[0].as_map()->entries.erase(a[1].as_string());
        return a[0];
    });
    add_function(t, "hasKey", {P::map, P::string},
                 [](Args a) { return Value(a[0].as_map() && a[0].as_map()->entries.count(a[1].as_string()) > 0); });
    add_function(
        t, "pluck", {P::string},
        [](Args a) {
            std::vector<Value> out;
            for (size_t i = 1; i < a.size(); ++i) {
                if (!a[i].as_map()) continue;
                auto found = a[i].as_map()->entries.find(a[0].as_string());
                if (found != a[i].as_map()->entries.end()) out.push_back(found->second);
            }
            return list_value(std::move(out));
        },
        P::map);
    // Go's map order is random; Sprig's keys and values follow it. Key order is the one stable
    // choice (charts that care sort the keys).
    add_function(
        t, "keys", {},
        [](Args a) {
            std::vector<std::string> out;
            for (const Value& m : a)
                if (m.as_map())
                    for (const auto& [key, value] : m.as_map()->entries) out.push_back(key);
            return string_list_value(std::move(out));
        },
        P::map);
    add_function(t, "values", {P::map}, [](Args a) {
        std::vector<Value> out;
        if (a[0].as_map())
            for (const auto& [key, value] : a[0].as_map()->entries) out.push_back(value);
        return list_value(std::move(out));
    });
    add_function(
        t, "pick", {P::map},
        [](Args a) {
            MapRef m = make_map();
            for (size_t i = 1; i < a.size(); ++i) {
                if (!a[0].as_map()) break;
                auto found = a[0].as_map()->entries.find(a[i].as_string());
                if (found != a[0].as_map()->entries.end()) m->entries.insert(*found);
            }
            return Value(m);
        },
        P::string);
    add_function(
        t, "omit", {P::map},
        [](Args a) {
            MapRef m = make_map();
            if (a[0].as_map()) m->entries = a[0].as_map()->entries;
            for (size_t i = 1; i < a.size(); ++i) m->entries.erase(a[i].as_string());
            return Value(m);
        },
        P::string);
    add_function(
        t, "dig", {},
        [](Args a) {
            if (a.size() < 3) throw FunctionError("dig needs at least three arguments");
            return dig_from(a[a.size() - 1], a[a.size() - 2], a.subspan(0, a.size() - 2), 0);
        },
        P::any);
    for (bool overwrite : {false, true}) {
        auto impl = [overwrite](Args a) {
            if (!a[0].as_map()) throw FunctionError("assignment to entry in nil map");
            for (size_t i = 1; i < a.size(); ++i)
                if (a[i].as_map()) mergo(*a[0].as_map(), *a[i].as_map(), overwrite);
            return a[0];
        };
        add_function(t, overwrite ? "mergeOverwrite" : "merge", {P::map}, impl, P::map);
        add_function(t, overwrite ? "mustMergeOverwrite" : "mustMerge", {P::map}, impl, P::map);
    }
    add_function(t, "deepCopy", {P::any}, [](Args a) { return deep_copy(a[0]); });
    add_function(t, "mustDeepCopy", {P::any}, [](Args a) {
        if (a[0].is_nil()) throw FunctionError("copy: cannot copy nil");
        return deep_copy(a[0]);
    });
}

}  // namespace sealift::render
