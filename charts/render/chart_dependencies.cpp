// pkg/chart/v2/util/dependencies.go: which subcharts an install renders (aliases, tags,
// conditions) and what they export to their parent (import-values).
#include <set>

#include "charts/render/chart_values.hpp"
#include "charts/render/go_json.hpp"
#include "charts/render/values_tables.hpp"

namespace sealift::render {
namespace {

using Json = nlohmann::json;

// processDependencyTags: a dependency is off when one of its tags is false and none is true.
void apply_tags(std::vector<ChartDependency>& deps, const Json& values) {
    const Json* tags = values_table(values, "tags");
    if (!tags) return;
    for (ChartDependency& dep : deps) {
        bool has_true = false, has_false = false;
        for (const std::string& tag : dep.tags) {
            auto found = tags->find(tag);
            if (found == tags->end() || !found->is_boolean()) continue;
            (found->get<bool>() ? has_true : has_false) = true;
        }
        dep.enabled = has_true || !has_false;
    }
}

// processDependencyConditions: the first path (of a comma-separated list, not trimmed, as Helm
// splits it) whose value is a bool decides.
void apply_conditions(std::vector<ChartDependency>& deps, const Json& values, const std::string& path) {
    for (ChartDependency& dep : deps) {
        std::string condition = dep.condition;
        condition.erase(0, condition.find_first_not_of(" \t\n\r"));
        condition.erase(condition.find_last_not_of(" \t\n\r") + 1);
        size_t start = 0;
        while (start <= condition.size()) {
            size_t comma = condition.find(',', start);
            std::string item = condition.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            start = comma == std::string::npos ? condition.size() + 1 : comma + 1;
            if (item.empty()) continue;
            const Json* value = values_path_value(values, path + item);
            if (value && value->is_boolean()) {
                dep.enabled = value->get<bool>();
                break;
            }
        }
    }
}

void process_enabled(ValuesChart& chart, const Json& values, const std::string& path, const VersionMatcher& matches) {
    if (chart.dependencies.empty()) return;
    std::vector<ValuesChart> subcharts;
    for (const ValuesChart& existing : chart.subcharts) {
        bool listed = false;
        for (const ChartDependency& dep : chart.dependencies)
            if (existing.name == dep.name && matches(dep.version, existing.version)) listed = true;
        if (!listed) subcharts.push_back(existing);
    }
    for (ChartDependency& dep : chart.dependencies) {
        for (const ValuesChart& candidate : chart.subcharts) {
            if (candidate.name != dep.name || !matches(dep.version, candidate.version)) continue;
            ValuesChart copy = candidate;
            if (!dep.alias.empty()) copy.name = dep.alias;
            subcharts.push_back(std::move(copy));
            break;
        }
        if (!dep.alias.empty()) dep.name = dep.alias;
    }
    chart.subcharts = std::move(subcharts);
    for (ChartDependency& dep : chart.dependencies) dep.enabled = true;
    Json coalesced = coalesce_values(chart, values);
    apply_tags(chart.dependencies, coalesced);
    apply_conditions(chart.dependencies, coalesced, path);
    std::set<std::string> removed;
    for (const ChartDependency& dep : chart.dependencies)
        if (!dep.enabled) removed.insert(dep.name);
    std::vector<ValuesChart> kept;
    for (ValuesChart& sub : chart.subcharts)
        if (!removed.count(sub.name)) kept.push_back(std::move(sub));
    std::vector<ChartDependency> kept_deps;
    for (ChartDependency& dep : chart.dependencies)
        if (!removed.count(dep.name)) kept_deps.push_back(std::move(dep));
    for (ValuesChart& sub : kept) process_enabled(sub, coalesced, path + sub.name + ".", matches);
    chart.dependencies = std::move(kept_deps);
    chart.subcharts = std::move(kept);
}

// pathToMap: {a: {b: data}} for "a.b", data itself for ".".
Json path_to_map(const std::string& path, const Json& data) {
    if (path == ".") return data;
    std::vector<std::string> parts;
    size_t start = 0;
    while (true) {
        size_t dot = path.find('.', start);
        parts.push_back(path.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    Json current = data;
    for (size_t i = parts.size(); i-- > 0;) current = Json{{parts[i], std::move(current)}};
    return current;
}

// fmt's %v of a Chart.yaml value (child: and parent: are strings in practice).
std::string go_print(const Json& v) {
    if (v.is_null()) return "<nil>";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_float()) return go_json_float(v.get<double>());
    return v.dump();
}

void process_import_values(ValuesChart& chart) {
    if (chart.dependencies.empty()) return;
    Json values = coalesce_values(chart, Json::object(), true);
    Json imported = Json::object();
    for (ChartDependency& dep : chart.dependencies) {
        Json normalized = Json::array();
        for (const Json& entry : dep.import_values) {
            if (entry.is_object()) {
                std::string child = go_print(entry.contains("child") ? entry["child"] : Json());
                std::string parent = go_print(entry.contains("parent") ? entry["parent"] : Json());
                normalized.push_back(Json{{"child", child}, {"parent", parent}});
                const Json* table = values_table(values, dep.name + "." + child);
                if (!table) continue;
                coalesce_tables(imported, path_to_map(parent, *table), true);  // the first import wins
            } else if (entry.is_string()) {
                std::string child = "exports." + entry.get<std::string>();
                normalized.push_back(Json{{"child", child}, {"parent", "."}});
                const Json* table = values_table(values, dep.name + "." + child);
                if (!table) continue;
                coalesce_tables(imported, *table, true);
            }
        }
        dep.import_values = std::move(normalized);
    }
    coalesce_tables(values, std::move(imported), true);  // the chart's own values win
    chart.values = std::move(values);
}

void process_import_values_recursively(ValuesChart& chart) {
    for (ValuesChart& sub : chart.subcharts) process_import_values_recursively(sub);
    process_import_values(chart);
}

}  // namespace

void process_dependencies(ValuesChart& chart, const Json& user_values, const VersionMatcher& matches) {
    process_enabled(chart, user_values, "", matches);
    process_import_values_recursively(chart);
}

}  // namespace sealift::render
