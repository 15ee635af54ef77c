// How goyaml.v2 (the YAML library under sigs.k8s.io/yaml, and so under Helm) decides what a plain
// (unquoted) scalar means: YAML 1.1's booleans (yes/no/on/off/y/n), nulls (~, null, empty),
// integers in Go's base-prefixed forms (0x1F, 0o17, 017, 0b101, with '_' separators dropped),
// floats, and timestamps. Reading values and writing toYaml both depend on it: a string that would
// read back as something else is written quoted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sealift::render {

struct YamlScalar {
    enum class Tag { null, boolean, integer, unsigned_integer, floating, string, timestamp };
    Tag tag = Tag::string;
    bool boolean = false;
    std::int64_t integer = 0;
    std::uint64_t unsigned_integer = 0;
    double floating = 0;
};

// goyaml.v2's resolve("", text) for a plain scalar.
YamlScalar resolve_plain_scalar(std::string_view text);

// True when goyaml.v2's Marshal writes the Go string `s` in quotes because, unquoted, it would
// read as another type (or as a YAML 1.1 base-60 number or boolean).
bool yaml_string_needs_quotes(std::string_view s);

// Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64): base from the prefix (0x, 0o, 0b, a
// leading 0 for octal), optional sign for the signed form. False when s is not such a number
// or is out of range.
bool go_parse_int_base0(std::string_view s, std::int64_t& out);
bool go_parse_uint_base0(std::string_view s, std::uint64_t& out);

// Go's strconv.ParseFloat(s, 64) for the decimal forms goyaml.v2 lets through (and "inf",
// "infinity", "nan" in any case): false when s is not one or is out of range.
bool go_parse_float(std::string_view s, double& out);

}  // namespace sealift::render
