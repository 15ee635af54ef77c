// The names CycloneDX and SPDX give the same things (hash algorithms, what kind
// of thing a component is), so a document read in one format writes in the other.
#pragma once

#include <string>
#include <string_view>

namespace sealift::sbom::detail {

// SPDX's spelling of a CycloneDX hash algorithm ("SHA-256" -> "SHA256").
std::string spdx_hash_algorithm(std::string_view cyclonedx_algorithm);

// CycloneDX component type -> SPDX primaryPackagePurpose: the types SPDX also
// has, uppercased; the rest (platform, device-driver, data, ...) are OTHER.
std::string spdx_purpose(std::string_view cyclonedx_type);
// SPDX primaryPackagePurpose -> CycloneDX type: SOURCE, ARCHIVE, INSTALL and
// OTHER have no CycloneDX type and become "library", as does an unknown one.
std::string cyclonedx_type(std::string_view spdx_purpose);

}  // namespace sealift::sbom::detail
