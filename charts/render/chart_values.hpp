// Helm's handling of values for one install (`helm template`), as pkg/cli/values and
// pkg/chart/.../util do it:
//   1. the user's values: values files merged in order, then --set-json, --set, --set-string,
//      --set-literal applied (merge_user_values);
//   2. dependencies: every subchart entry named by alias, disabled by `tags:` and `condition:`
//      (conditions win over tags, the first condition path that holds a bool decides), the
//      remaining subcharts' `import-values` (the "child/parent" form and the string form reading
//      `exports.<name>`) imported into their parent's values (process_dependencies);
//   3. coalescing: the chart's values.yaml under the user's values, a user `null` deleting the
//      key, each subchart's values under `<name or alias>`, `global` copied down into every
//      subchart (coalesce_values).
// Values are nlohmann::json objects; numbers from YAML and JSON are doubles (Go's float64),
// numbers from --set are int64, as in Helm.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sealift::render {

// One entry of Chart.yaml's `dependencies:`.
struct ChartDependency {
    std::string name;
    std::string version;  // a version constraint
    std::string alias;
    std::string condition;  // comma-separated value paths
    std::vector<std::string> tags;
    nlohmann::json import_values = nlohmann::json::array();  // strings or {child:, parent:} maps
    bool enabled = true;
};

// What values handling needs of a loaded chart.
struct ValuesChart {
    std::string name;                                  // Chart.yaml name (the alias once process_dependencies ran)
    std::string version;                               // Chart.yaml version
    bool library = false;                              // type: library
    nlohmann::json values = nlohmann::json::object();  // values.yaml
    std::vector<ChartDependency> dependencies;         // Chart.yaml dependencies
    std::vector<ValuesChart> subcharts;                // the charts in charts/
};

// Whether a subchart's version satisfies a dependency's constraint (Helm's IsCompatibleRange:
// false for a bad constraint or version).
using VersionMatcher = std::function<bool(const std::string& constraint, const std::string& version)>;

struct UserValueSources {
    std::vector<nlohmann::json> files;     // each values file, already read (go_yaml_unmarshal_map)
    std::vector<std::string> set_json;     // --set-json
    std::vector<std::string> set;          // --set
    std::vector<std::string> set_string;   // --set-string
    std::vector<std::string> set_literal;  // --set-literal
};

// Options.MergeValues: the user's values from files and settings. Throws sealift::Error
// (Errc::usage) "failed parsing --set data: key \"a\" has no value" and the like.
nlohmann::json merge_user_values(const UserValueSources& sources);

// loader.MergeMaps: `overrides` over `base`, maps merged key by key, anything else replaced.
nlohmann::json merge_maps(const nlohmann::json& base, const nlohmann::json& overrides);

// ProcessDependenciesWithMerge: applies aliases, drops disabled subcharts (and their
// dependency entries) from `chart` recursively, then imports values bottom-up.
void process_dependencies(ValuesChart& chart, const nlohmann::json& user_values, const VersionMatcher& matches);

// CoalesceValues (merge = false) / MergeValues (merge = true) of a chart with `values`.
nlohmann::json coalesce_values(const ValuesChart& chart, const nlohmann::json& values, bool merge = false);

// The values a subchart's templates see: Values.<name> of the parent's, or an empty map.
nlohmann::json subchart_values(const nlohmann::json& parent_values, const std::string& subchart_name);

// Values.PathValue: the non-map value at a dotted path; nullptr when there is none.
const nlohmann::json* values_path_value(const nlohmann::json& values, const std::string& path);

// Values.Table: the map at a dotted path; nullptr when there is none.
const nlohmann::json* values_table(const nlohmann::json& values, const std::string& path);

}  // namespace sealift::render
