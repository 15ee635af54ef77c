// JSON as Go's encoding/json writes and reads it, which is what Helm's toJson, toPrettyJson,
// toRawJson and fromJson are, and the first half of toYaml (sigs.k8s.io/yaml marshals to JSON
// first): map keys in byte order, float64 in Go's layout (1e+21 and 1e-7 with an exponent, 1e20
// and 0.000001 without), strings with Go's escapes (\u003c \u003e \u0026 for <, >, & unless
// HTML escaping is off; \u2028 \u2029 always; invalid UTF-8 as U+FFFD).
//
// Values are nlohmann::json: integers stay integers, floating numbers are Go float64s.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sealift::render {

struct GoJsonStyle {
    bool escape_html = true;  // json.Marshal escapes; an Encoder with SetEscapeHTML(false) does not
    std::string indent;       // json.MarshalIndent's indent ("" = compact)
};

// json.Marshal / MarshalIndent. Throws sealift::Error (Errc::format) with Go's text
// "json: unsupported value: NaN" for a NaN or infinite float.
std::string go_json_marshal(const nlohmann::json& value, const GoJsonStyle& style = {});

// Go's encoding of a float64 in JSON (strconv 'f' or, outside [1e-6, 1e21), 'e' with the
// exponent's leading zero dropped).
std::string go_json_float(double f);

// json.Unmarshal into interface{}: every number becomes a float64 (a double), objects maps.
// Throws sealift::Error (Errc::format) with Go's message ("unexpected end of JSON input",
// "invalid character 'x' looking for beginning of value", ...).
nlohmann::json go_json_unmarshal(std::string_view text);

// json.Decoder.Decode: the first JSON value of `text` (after white space); `consumed` is where
// it ended. What follows is left to the caller (Helm's --set-json reads on after it).
nlohmann::json go_json_unmarshal_prefix(std::string_view text, size_t& consumed);

// The text of `s` with every byte that is not part of valid UTF-8 replaced by U+FFFD, as
// encoding/json writes such strings.
std::string go_json_valid_utf8(std::string_view s);

}  // namespace sealift::render
