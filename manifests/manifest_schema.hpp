// The shape of the signed bundle manifest (docs/bundle-format.md section 7), checked
// as a JSON schema would before anything is read out of it: the type of every field
// the format defines, the fields it requires, and the objects it closes. Members the
// format does not define are ignored elsewhere, as section 7.1 says readers do.
// Private to the manifests library: BundleManifest::parse is its one caller.
#pragma once

#include <string>

#include "core/json.hpp"

namespace sealift::manifests {

// Errc::format "<what>: <field path>: <reason>", the path written from the TUF
// envelope's "signed": "signed.sealift.images: must be an array",
// "signed.targets[\"SHA256SUMS\"].length: must be a non-negative integer".
// formatVersion and _type are checked first: a document of another version or
// type may have another shape, and is refused as such.
void check_manifest_shape(const Json& manifest, const std::string& what);

}  // namespace sealift::manifests
