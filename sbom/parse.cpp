#include "core/error.hpp"
#include "core/json.hpp"
#include "manifests/media_types.hpp"
#include "sbom/readers.hpp"

namespace sealift::sbom {

const char* media_type(Format format) {
    return format == Format::cyclonedx ? manifests::media_type::cyclonedx_json : manifests::media_type::spdx_json;
}

const char* format_name(Format format) { return format == Format::cyclonedx ? "cyclonedx" : "spdx"; }

Document parse(std::string_view text, const std::string& what) {
    Json json = parse_json_strict(text, what);
    detail::Node root(json, "$", what);
    root.expect_object();
    // bomFormat marks CycloneDX; any of SPDX's own required members marks SPDX,
    // so a document missing spdxVersion is still reported as a broken SPDX one.
    if (json.contains("bomFormat")) return detail::read_cyclonedx(root);
    for (const char* member : {"spdxVersion", "SPDXID", "dataLicense", "documentNamespace"})
        if (json.contains(member)) return detail::read_spdx(root);
    if (json.contains("specVersion")) return detail::read_cyclonedx(root);
    root.fail("neither a CycloneDX document (no bomFormat) nor an SPDX document (no spdxVersion)");
}

namespace detail {

Purl checked_purl(const Node& node) {
    std::string text = node.as_string(), why;
    std::optional<Purl> purl = parse_purl(text, why);
    if (!purl) node.fail("invalid package URL " + shown(text) + ": " + why);
    return *purl;
}

std::optional<Digest> subject_digest(const std::optional<Purl>& purl, const std::string& version,
                                     const std::optional<Digest>& sha256) {
    if (purl)
        if (std::optional<Digest> digest = oci_digest(*purl)) return digest;
    if (Digest::valid(version)) return Digest::parse(version);
    return sha256;
}

}  // namespace detail
}  // namespace sealift::sbom
