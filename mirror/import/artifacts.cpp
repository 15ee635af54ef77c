#include "mirror/import/artifacts.hpp"

#include "core/json.hpp"
#include "manifests/oci.hpp"

namespace sealift::mirror {
namespace {

namespace mt = manifests::media_type;

Artifact finish(Artifact a) {
    a.manifest_digest = Sha256::of(a.manifest);
    return a;
}

}  // namespace

std::string helm_tag(const std::string& version) { return manifests::chart_tag(version); }

Artifact make_helm_artifact(const manifests::ChartInfo& chart, const Digest& chart_digest, std::uint64_t chart_size) {
    Json config = {{"name", chart.name}, {"version", chart.version}, {"apiVersion", chart.api_version}};
    if (!chart.app_version.empty()) config["appVersion"] = chart.app_version;
    if (!chart.description.empty()) config["description"] = chart.description;
    if (!chart.type.empty()) config["type"] = chart.type;
    Artifact a;
    a.config = dump_json_safe(config);
    a.config_media_type = mt::helm_config;
    Json manifest = {
        {"schemaVersion", 2},
        {"mediaType", mt::oci_manifest},
        {"config", {{"mediaType", mt::helm_config}, {"digest", Sha256::of(a.config).str()}, {"size", a.config.size()}}},
        {"layers", {{{"mediaType", mt::helm_chart}, {"digest", chart_digest.str()}, {"size", chart_size}}}}};
    a.manifest = dump_json_safe(manifest);
    return finish(std::move(a));
}

Artifact make_sbom_referrer(const std::string& sbom_media_type, const Digest& sbom_digest, std::uint64_t sbom_size,
                            const std::string& sbom_file_name, const std::string& subject_media_type,
                            const Digest& subject_digest, std::uint64_t subject_size) {
    Artifact a;
    a.config = "{}";
    a.config_media_type = mt::oci_empty;
    a.artifact_type = sbom_media_type;
    Json manifest = {
        {"schemaVersion", 2},
        {"mediaType", mt::oci_manifest},
        {"artifactType", sbom_media_type},
        {"config", {{"mediaType", mt::oci_empty}, {"digest", manifests::empty_json_digest}, {"size", 2}}},
        {"layers",
         {{{"mediaType", sbom_media_type},
           {"digest", sbom_digest.str()},
           {"size", sbom_size},
           {"annotations", {{"org.opencontainers.image.title", sbom_file_name}}}}}},
        {"subject", {{"mediaType", subject_media_type}, {"digest", subject_digest.str()}, {"size", subject_size}}}};
    a.manifest = dump_json_safe(manifest);
    return finish(std::move(a));
}

}  // namespace sealift::mirror
