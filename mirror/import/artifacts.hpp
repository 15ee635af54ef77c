// OCI artifacts the importer makes from a bundle's charts and SBOMs. They are
// built deterministically, so preflight can compute the digests an import
// must have produced without reading anything back.
#pragma once

#include <string>

#include "core/digest.hpp"
#include "manifests/chart.hpp"

namespace sealift::mirror {

struct Artifact {
    std::string config;  // config blob bytes
    std::string config_media_type;
    std::string manifest;  // OCI image manifest bytes
    Digest manifest_digest;
    std::string artifact_type;  // the manifest's artifactType, "" when it has none
};

// Helm's OCI layout: config media_type::helm_config, one layer media_type::helm_chart
// (manifests/media_types.hpp).
Artifact make_helm_artifact(const manifests::ChartInfo& chart, const Digest& chart_digest, std::uint64_t chart_size);
// Helm writes SemVer build metadata's '+' as '_' in tags.
std::string helm_tag(const std::string& version);

// An SBOM attached to its image as an OCI referrer: artifactType = the SBOM's
// media type, empty config, the SBOM as the one layer, subject = the image.
Artifact make_sbom_referrer(const std::string& sbom_media_type, const Digest& sbom_digest, std::uint64_t sbom_size,
                            const std::string& sbom_file_name, const std::string& subject_media_type,
                            const Digest& subject_digest, std::uint64_t subject_size);

}  // namespace sealift::mirror
