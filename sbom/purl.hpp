// Package URLs (purl), "pkg:type/namespace/name@version?qualifiers#subpath":
// enough of the purl specification to read the identity of a component and the
// digest of an OCI artifact, and to write the oci and helm purls of a bundle.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/digest.hpp"

namespace sealift::sbom::detail {

struct Purl {
    std::string type;                                // lowercased
    std::string namespace_, name, version, subpath;  // percent-decoded
    std::map<std::string, std::string> qualifiers;   // keys lowercased, values decoded
};

// Parses a purl, or returns nullopt with `why` set when `text` is not one.
std::optional<Purl> parse_purl(std::string_view text, std::string& why);

// The digest a pkg:oci purl names as its version ("sha256%3A<hex>"), if any.
std::optional<Digest> oci_digest(const Purl& purl);

// pkg:oci/<name>@sha256%3A<hex>?repository_url=<repository>&tag=<tag> (tag omitted when empty).
std::string oci_purl(std::string_view repository, std::string_view tag, const Digest& digest);

// pkg:helm/<name>@<version>
std::string helm_purl(std::string_view name, std::string_view version);

}  // namespace sealift::sbom::detail
