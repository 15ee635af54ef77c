// Reading YAML as Helm does (sigs.k8s.io/yaml's Unmarshal: goyaml.v2 decodes into Go values,
// which go through encoding/json), for values files, fromYaml and fromYamlArray:
//   - plain scalars resolved as goyaml.v2 does (YAML 1.1 booleans yes/no/on/off/y/n, ~, 0x1F,
//     017, 1_000, .inf), quoted and block scalars strings, timestamps kept as their text;
//   - every number a float64 (the JSON round trip);
//   - merge keys `<<` (a map or a list of maps) as goyaml.v2 merges them, anchors and aliases;
//   - non-string keys turned into strings (1 -> "1", true -> "true", 1.5 -> "1.5");
//   - only the first document of a stream.
// Errors carry Go's texts where they come from Go's side ("error converting YAML to JSON: json:
// unsupported value: +Inf", "error unmarshaling JSON: ... cannot unmarshal array into Go value of
// type map[string]interface {}"); syntax errors say "yaml: line N: ..." with the parser's reason.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sealift::render {

// yaml.Unmarshal into interface{}: any value (null for an empty document).
// Throws sealift::Error (Errc::format) with sigs.k8s.io/yaml's message.
nlohmann::json go_yaml_unmarshal(std::string_view text);

// yaml.Unmarshal into map[string]interface{} (a values file, fromYaml): an object, empty for an
// empty or null document; a document that is not a map fails as Go does.
nlohmann::json go_yaml_unmarshal_map(std::string_view text);

// yaml.Unmarshal into []interface{} (fromYamlArray).
nlohmann::json go_yaml_unmarshal_list(std::string_view text);

}  // namespace sealift::render
