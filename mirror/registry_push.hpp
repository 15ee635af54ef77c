// The second half of an import, run only after the whole bundle verified:
// make every blob present in every repository that needs it, push manifests
// children first, charts and SBOM referrers, then set all tags last.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "mirror/import_plan.hpp"
#include "mirror/mirror.hpp"
#include "mirror/registry_client.hpp"

namespace sealift::mirror {

class RegistryPush {
public:
    RegistryPush(RegistryClient& client, const ImportPlan& plan, std::string host) : client_(client), plan_(plan), host_(std::move(host)) {}

    // A delta bundle's external blobs must already be at the destination, in each
    // image's repository or mountable from another repository of the release.
    // Refuses naming every missing digest, before any manifest or tag is pushed.
    void check_external_blobs();
    // `homes`: where each streamed blob was uploaded (or found).
    void place_image(const PlannedImage& image, const std::map<Digest, std::string>& homes);
    void place_chart(PlannedChart& chart, const std::string& archive);
    void place_sbom(const PlannedSbom& sbom, const std::string& content);
    void set_tags();

    const std::vector<ImportedArtifact>& artifacts() const { return artifacts_; }
    std::uint64_t manifests_pushed() const { return manifests_pushed_; }
    std::uint64_t tags_set() const { return tags_set_; }

private:
    struct PendingTag {
        std::string repo, tag, media_type, bytes;
        Digest digest;
    };
    void ensure_blob(const std::string& repo, const Digest& digest, std::uint64_t size, const std::string& home);
    // `bytes` verified to hash to `digest` already (a bundle entry, or built here).
    void ensure_blob_bytes(const std::string& repo, const std::string& bytes, const Digest& digest);
    void ensure_manifest(const std::string& repo, const std::string& media_type, const std::string& bytes, const Digest& digest);
    void add_fallback_referrer(const std::string& repo, const Digest& subject, const Artifact& referrer);

    RegistryClient& client_;
    const ImportPlan& plan_;
    std::string host_;
    std::vector<PendingTag> tags_;
    std::vector<ImportedArtifact> artifacts_;
    std::uint64_t manifests_pushed_ = 0, tags_set_ = 0;
};

}  // namespace sealift::mirror
