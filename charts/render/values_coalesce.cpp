// pkg/chart/common/util/coalesce.go and pkg/cli/values on JSON values. Go's maps are shared by
// reference there; here every step works on copies, which gives the same values except for
// Helm's accidental sharing (a subchart's global defaults showing up in its parent's), which no
// chart relies on.
#include <algorithm>
#include <vector>

#include "charts/render/chart_values.hpp"
#include "charts/render/go_json.hpp"
#include "charts/render/strvals.hpp"
#include "charts/render/values_tables.hpp"
#include "core/error.hpp"

namespace sealift::render {
namespace {

using Json = nlohmann::json;

}  // namespace

void coalesce_tables(Json& dst, Json src, bool merge) {
    std::vector<std::string> src_non_nil;
    for (const auto& [key, value] : src.items())
        if (!value.is_null()) src_non_nil.push_back(key);
    for (const auto& [key, value] : dst.items())
        if (value.is_null()) src[key] = nullptr;
    for (auto& [key, value] : src.items()) {
        auto found = dst.find(key);
        bool had_value = std::find(src_non_nil.begin(), src_non_nil.end(), key) != src_non_nil.end();
        if (found != dst.end() && !merge && found->is_null() && had_value) {
            dst.erase(found);
        } else if (found == dst.end()) {
            dst[key] = std::move(value);
        } else if (value.is_object()) {
            if (found->is_object()) coalesce_tables(*found, std::move(value), merge);
        }
    }
}

namespace {

// coalesceGlobals: the parent's `global` copied into the subchart's, the parent's winning.
void coalesce_globals(Json& dest, const Json& src) {
    Json dg = Json::object(), sg = Json::object();
    if (auto d = dest.find("global"); d != dest.end()) {
        if (!d->is_object()) return;
        dg = *d;
    }
    if (auto s = src.find("global"); s != src.end()) {
        if (!s->is_object()) return;
        sg = *s;
    }
    for (const auto& [key, value] : sg.items()) {
        auto existing = dg.find(key);
        if (value.is_object()) {
            Json copy = value;
            if (existing == dg.end()) {
                dg[key] = std::move(copy);
            } else if (existing->is_object()) {
                coalesce_tables(copy, *existing, true);
                dg[key] = std::move(copy);
            }
        } else if (existing != dg.end() && existing->is_object()) {
            continue;
        } else {
            dg[key] = value;
        }
    }
    dest["global"] = std::move(dg);
}

bool has_subchart(const ValuesChart& chart, const std::string& name) {
    for (const ValuesChart& sub : chart.subcharts)
        if (sub.name == name) return true;
    return false;
}

// coalesceValues (Helm 3's): the chart's own values under `v`.
void coalesce_chart_values(const ValuesChart& chart, Json& v, bool merge) {
    for (const auto& [key, chart_value] : chart.values.items()) {
        auto found = v.find(key);
        if (found != v.end()) {
            if (found->is_null() && !merge) {
                v.erase(found);
            } else if (found->is_object() && chart_value.is_object()) {
                coalesce_tables(*found, chart_value, merge || has_subchart(chart, key));
            }
        } else {
            // Helm 3 copies the chart's nils too (Helm 4 drops them).
            v[key] = chart_value;
        }
    }
}

std::string go_bool_verb_of(const Json& v) {
    // fmt's %t of a value that is not a bool: %!t(type=value)
    if (v.is_null()) return "%!t(<nil>)";
    if (v.is_string()) return "%!t(string=" + v.get<std::string>() + ")";
    if (v.is_number_float()) return "%!t(float64=" + go_json_float(v.get<double>()) + ")";
    if (v.is_number()) return "%!t(int64=" + v.dump() + ")";
    if (v.is_array()) return "%!t([]interface {}=" + v.dump() + ")";
    return "%!t(" + v.dump() + ")";
}

Json coalesce(const ValuesChart& chart, Json dest, bool merge) {
    coalesce_chart_values(chart, dest, merge);
    for (const ValuesChart& sub : chart.subcharts) {
        auto found = dest.find(sub.name);
        if (found == dest.end())
            dest[sub.name] = Json::object();
        else if (!found->is_object())
            fail(Errc::format, "type mismatch on " + sub.name + ": " + go_bool_verb_of(*found));
        Json child = dest[sub.name];
        coalesce_globals(child, dest);
        dest[sub.name] = coalesce(sub, std::move(child), merge);
    }
    return dest;
}

}  // namespace

Json coalesce_values(const ValuesChart& chart, const Json& values, bool merge) {
    return coalesce(chart, values.is_object() ? values : Json::object(), merge);
}

Json merge_maps(const Json& base, const Json& overrides) {
    Json out = base.is_object() ? base : Json::object();
    for (const auto& [key, value] : overrides.items()) {
        auto existing = out.find(key);
        if (value.is_object() && existing != out.end() && existing->is_object())
            *existing = merge_maps(*existing, value);
        else
            out[key] = value;
    }
    return out;
}

Json merge_user_values(const UserValueSources& sources) {
    Json base = Json::object();
    for (const Json& file : sources.files) base = merge_maps(base, file);
    // Helm 3 reads every --set-json argument with strvals' JSON parser (key=JSON,...).
    for (const std::string& value : sources.set_json) {
        try {
            parse_set_into(value, base, SetKind::json);
        } catch (const Error&) {
            fail(Errc::usage, "failed parsing --set-json data " + value);
        }
    }
    auto apply = [&](const std::vector<std::string>& values, SetKind kind, const char* flag) {
        for (const std::string& value : values) {
            try {
                parse_set_into(value, base, kind);
            } catch (const Error& e) {
                fail(Errc::usage, std::string("failed parsing ") + flag + " data: " + e.what());
            }
        }
    };
    apply(sources.set, SetKind::typed, "--set");
    apply(sources.set_string, SetKind::string, "--set-string");
    apply(sources.set_literal, SetKind::literal, "--set-literal");
    return base;
}

const Json* values_table(const Json& values, const std::string& path) {
    const Json* table = &values;
    size_t start = 0;
    while (true) {
        size_t dot = path.find('.', start);
        std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        auto found = table->find(part);
        if (!table->is_object() || found == table->end() || !found->is_object()) return nullptr;
        table = &*found;
        if (dot == std::string::npos) return table;
        start = dot + 1;
    }
}

const Json* values_path_value(const Json& values, const std::string& path) {
    if (path.empty()) return nullptr;
    size_t dot = path.rfind('.');
    const Json* table = dot == std::string::npos ? &values : values_table(values, path.substr(0, dot));
    if (!table || !table->is_object()) return nullptr;
    std::string key = dot == std::string::npos ? path : path.substr(dot + 1);
    auto found = table->find(key);
    if (found == table->end() || found->is_object()) return nullptr;
    return &*found;
}

Json subchart_values(const Json& parent_values, const std::string& subchart_name) {
    auto found = parent_values.find(subchart_name);
    if (found != parent_values.end() && found->is_object()) return *found;
    return Json::object();
}

}  // namespace sealift::render
