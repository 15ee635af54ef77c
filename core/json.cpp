#include "core/json.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"

namespace sealift {

Json parse_json_strict(std::string_view text, const std::string& what) {
    std::vector<std::set<std::string>> keys;
    std::string duplicate;
    auto callback = [&](int, Json::parse_event_t event, Json& parsed) {
        switch (event) {
        case Json::parse_event_t::object_start: keys.emplace_back(); break;
        case Json::parse_event_t::object_end: keys.pop_back(); break;
        case Json::parse_event_t::key:
            if (!keys.back().insert(parsed.get<std::string>()).second && duplicate.empty())
                duplicate = parsed.get<std::string>();
            break;
        default: break;
        }
        return true;
    };
    Json value;
    try {
        value = Json::parse(text.begin(), text.end(), callback);
    } catch (const Json::exception& e) {
        // Every nlohmann error, not only parse_error: a number beyond a double (1e999) is
        // out_of_range.406, and must be a refusal naming the entry like any other bad JSON.
        fail(Errc::format, what + ": invalid JSON: " + e.what());
    }
    if (!duplicate.empty()) fail(Errc::format, what + ": duplicate JSON key '" + duplicate + "'");
    return value;
}

namespace {

void encode_string(const std::string& s, std::string& out) {
    // Control characters go out raw, as in securesystemslib and @tufjs/canonical-json:
    // TUF ECDSA keys carry PEM text with newlines, and their key ids and signatures
    // are computed over those raw bytes.
    // Bytes that are not UTF-8 (a hostile entry or file name in a receipt) become U+FFFD:
    // JSON text must be UTF-8, and a receipt no parser can read would be no receipt.
    if (!valid_utf8(s)) return encode_string(utf8_with_replacement(s), out);
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    out += '"';
}

void encode(const Json& v, std::string& out) {
    switch (v.type()) {
    case Json::value_t::null: out += "null"; break;
    case Json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; break;
    case Json::value_t::number_integer: out += std::to_string(v.get<std::int64_t>()); break;
    case Json::value_t::number_unsigned: out += std::to_string(v.get<std::uint64_t>()); break;
    case Json::value_t::string: encode_string(v.get_ref<const std::string&>(), out); break;
    case Json::value_t::array: {
        out += '[';
        bool first = true;
        for (const auto& e : v) {
            if (!first) out += ',';
            first = false;
            encode(e, out);
        }
        out += ']';
        break;
    }
    case Json::value_t::object: {
        out += '{';
        bool first = true;
        for (auto it = v.begin(); it != v.end(); ++it) {  // nlohmann's object map is sorted by key
            if (!first) out += ',';
            first = false;
            encode_string(it.key(), out);
            out += ':';
            encode(it.value(), out);
        }
        out += '}';
        break;
    }
    default: fail(Errc::format, "canonical JSON has no floating-point or binary values");
    }
}

}  // namespace

std::string canonical_json(const Json& value) {
    std::string out;
    encode(value, out);
    return out;
}

const Json& json_field(const Json& object, const char* name, const std::string& what) {
    if (!object.is_object()) fail(Errc::format, what + ": expected a JSON object");
    auto it = object.find(name);
    if (it == object.end()) fail(Errc::format, what + ": missing field '" + name + "'");
    return *it;
}

std::string json_string(const Json& object, const char* name, const std::string& what) {
    const Json& v = json_field(object, name, what);
    if (!v.is_string()) fail(Errc::format, what + ": field '" + name + "' must be a string");
    return v.get<std::string>();
}

std::uint64_t json_uint(const Json& object, const char* name, const std::string& what) {
    const Json& v = json_field(object, name, what);
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
        fail(Errc::format, what + ": field '" + name + "' must be a non-negative integer");
    return v.get<std::uint64_t>();
}

void check_only_keys(const Json& object, std::initializer_list<std::string_view> allowed, const std::string& what) {
    if (!object.is_object()) fail(Errc::format, what + ": expected a JSON object");
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
            fail(Errc::format, what + ": unknown field '" + it.key() + "'");
    }
}

}  // namespace sealift
