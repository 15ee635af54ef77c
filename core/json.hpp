// JSON as signed metadata needs it: strict parsing (duplicate keys refused,
// because parsers disagree on which duplicate wins) and canonical encoding in
// the OLPC/TUF form (sorted keys, no whitespace, integers only, only '"' and
// '\' escaped), so the signed bytes are the same in every implementation.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace sealift {

using Json = nlohmann::json;

// Parses `text`, naming `what` (a file or bundle entry) in any error.
Json parse_json_strict(std::string_view text, const std::string& what);

// Canonical JSON of a value without floating-point numbers.
std::string canonical_json(const Json& value);

// Typed field access that fails with "<what>: field 'name' ..." messages.
const Json& json_field(const Json& object, const char* name, const std::string& what);
std::string json_string(const Json& object, const char* name, const std::string& what);
std::uint64_t json_uint(const Json& object, const char* name, const std::string& what);
// Errc::format "<what>: expected a JSON object" or "<what>: unknown field 'x'" for a member
// outside `allowed`: signed formats refuse what they do not define, so nothing unsigned-for rides along.
void check_only_keys(const Json& object, std::initializer_list<std::string_view> allowed, const std::string& what);

// JSON text of `value` that never throws: every string that is not UTF-8 (an entry
// name, a file name, a client's query) has its bad bytes replaced by U+FFFD, so the
// audit line, receipt, log line or report about hostile input is still written.
// indent -1: one line.
std::string dump_json_safe(const Json& value, int indent = -1);
std::string dump_json_safe(const nlohmann::ordered_json& value, int indent = -1);

}  // namespace sealift
