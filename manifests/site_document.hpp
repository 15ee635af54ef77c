// What the two documents a site signs (inventory, import receipt) check alike:
// strict keys, the envelope's type and version, the site key id, the target.
// Private to the manifests library (the bundle manifest's siteInventory reads alike).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/time.hpp"

namespace sealift::manifests {

// "_type" is `type` and "specVersion" is `version`.
void check_type_and_version(const Json& object, std::string_view type, int version, const std::string& what);

// A JSON string holding a sha256 digest; `what` names the field.
Digest digest_value(const Json& value, const std::string& what);

// Field `name`, an RFC 3339 time.
TimePoint time_field(const Json& object, const char* name, const std::string& what);

// A TUF key id: 64 lowercase hex digits (the SHA-256 of the key).
bool valid_keyid(std::string_view id);
// "site": {"keyid": "<64 hex>"}, written and read.
Json site_json(const std::string& keyid);
std::string site_keyid_field(const Json& object, const std::string& what);

// Where the site holds content: "store" or "registry:HOST[/PREFIX]".
bool valid_site_location(std::string_view location);

}  // namespace sealift::manifests
