// toYaml as Helm has it: sigs.k8s.io/yaml's Marshal, which is encoding/json's Marshal of the Go
// value read back by goyaml.v2 and written by goyaml.v2's emitter (a port of libyaml's). What
// that gives, and what this writes byte for byte:
//   - map keys in goyaml.v2's order (letters by code point, digit runs by numeric value: a2 before
//     a10), block mappings, sequences under a mapping key not indented, two-space indentation;
//   - empty maps and lists as {} and [];
//   - every number as JSON wrote it and YAML read it back: a float64 that is an integer below
//     1e21 as an integer (1000000), others in strconv's 'g' form (1.5, 1e+21, 1e-07);
//   - strings plain when they read back as the same string, else double-quoted ("yes", "1.5",
//     "null", "2024-01-01"), or single-quoted where only YAML's syntax forbids plain ('*a', '- a',
//     ' a'); strings with a line break as literal blocks (|, |-, |+, with an indentation digit when
//     they start with a space); plain and quoted scalars folded at column 80.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sealift::render {

// sigs.k8s.io/yaml.Marshal(value): the YAML text, ending in a newline. Throws sealift::Error
// (Errc::format) "error marshaling into JSON: json: unsupported value: NaN" as Go fails.
std::string go_yaml_marshal(const nlohmann::json& value);

// goyaml.v2's order of two string map keys (sorter.go's keyList.Less).
bool go_yaml_key_less(std::string_view a, std::string_view b);

}  // namespace sealift::render
