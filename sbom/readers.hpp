// The two SBOM formats' readers behind sbom::parse, and what they share.
#pragma once

#include <optional>
#include <string>

#include "sbom/json_node.hpp"
#include "sbom/purl.hpp"
#include "sbom/sbom.hpp"

namespace sealift::sbom::detail {

Document read_cyclonedx(const Node& root);
Document read_spdx(const Node& root);

// A purl field: fails at `node` when it is not a package URL.
Purl checked_purl(const Node& node);

// The subject's digest, taken from (in this order) a pkg:oci purl, a version
// that is itself a sha256 digest (as some generators write it), a SHA-256 hash.
std::optional<Digest> subject_digest(const std::optional<Purl>& purl, const std::string& version,
                                     const std::optional<Digest>& sha256);

}  // namespace sealift::sbom::detail
