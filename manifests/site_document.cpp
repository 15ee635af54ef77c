#include "manifests/site_document.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace sealift::manifests {

void check_type_and_version(const Json& object, std::string_view type, int version, const std::string& what) {
    std::string found = json_string(object, "_type", what);
    if (found != type) fail(Errc::format, what + ": field '_type' is '" + found + "', not '" + std::string(type) + "'");
    const Json& spec = json_field(object, "specVersion", what);
    if (!spec.is_number_integer() || spec.get<std::int64_t>() != version)
        fail(Errc::format, what + ": field 'specVersion' is " + dump_json_safe(spec) + ", this Sealift reads version " +
                               std::to_string(version));
}

Digest digest_value(const Json& value, const std::string& what) {
    if (!value.is_string() || !Digest::valid(value.get_ref<const std::string&>()))
        fail(Errc::format, what + ": not a sha256 digest: " + dump_json_safe(value));
    return Digest::parse(value.get_ref<const std::string&>());
}

TimePoint time_field(const Json& object, const char* name, const std::string& what) {
    std::string text = json_string(object, name, what);
    try {
        return parse_time(text);
    } catch (const Error& e) {
        rethrow_with_context(e, what + ": field '" + name + "'");
    }
}

bool valid_keyid(std::string_view id) {
    return id.size() == 64 &&
           std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

Json site_json(const std::string& keyid) { return {{"keyid", keyid}}; }

std::string site_keyid_field(const Json& object, const std::string& what) {
    std::string sw = what + ".site";
    const Json& site = json_field(object, "site", what);
    check_only_keys(site, {"keyid"}, sw);
    std::string id = json_string(site, "keyid", sw);
    if (!valid_keyid(id)) fail(Errc::format, sw + ": field 'keyid' is not a key id (64 lowercase hex): '" + id + "'");
    return id;
}

bool valid_site_location(std::string_view location) {
    constexpr std::string_view registry = "registry:";
    return location == "store" ||
           (location.size() > registry.size() && location.substr(0, registry.size()) == registry);
}

}  // namespace sealift::manifests
