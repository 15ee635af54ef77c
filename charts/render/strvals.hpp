// Helm's --set syntax (pkg/strvals): `a.b=c,d[0]=e`, lists `{x,y}`, indexes `a[1][0]`,
// backslash escapes (`a\.b=c`, `x=a\,b`), and --set's type inference (true/false/null in any
// case, integers without a leading zero as int64, everything else a string). --set-string keeps
// every value a string; --set-json reads each value as JSON; --set-literal takes the rest of the
// argument as one string. Errors are Helm's texts ("key \"a\" has no value", "unable to parse
// key: interface conversion: interface {} is string, not map[string]interface {}").
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace sealift::render {

enum class SetKind { typed, string, json, literal };

// strvals.ParseInto / ParseIntoString / ParseJSON / ParseLiteralInto: parses `text` into
// `values` (an object). Throws sealift::Error (Errc::usage) with strvals' message.
void parse_set_into(std::string_view text, nlohmann::json& values, SetKind kind);

}  // namespace sealift::render
