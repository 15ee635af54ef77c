// The second half of an import, run only after the whole bundle verified:
// make every blob present in every repository that needs it, push manifests
// children first, charts and SBOM referrers, then set all tags last.
#pragma once

#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "manifests/oci.hpp"
#include "mirror/import/import.hpp"
#include "mirror/import/import_plan.hpp"
#include "registry/registry_client.hpp"

namespace sealift::mirror {

class RegistryPush {
public:
    RegistryPush(ImportPlan& plan, registry::RegistryClient& client, std::string host)
        : client_(client), plan_(plan), host_(std::move(host)) {}

    // Places every image, then every chart and SBOM, then sets every tag, each
    // step `parallel` requests at a time. `homes`: where each streamed blob was
    // uploaded (or found); `document(path)`: a carried chart's or SBOM's verified bytes
    // (a chart the bundle leaves out is read from the registry).
    void run(const std::map<Digest, std::string>& homes,
             const std::function<const std::string&(const std::string&)>& document, unsigned parallel);

    const std::vector<ImportedArtifact>& artifacts() const { return artifacts_; }
    std::uint64_t manifests_pushed() const { return manifests_pushed_; }
    std::uint64_t tags_set() const { return tags_set_; }

private:
    // A delta bundle's external blobs must already be at the destination, in each
    // image's (or left-out chart's) repository or mountable from another repository
    // of the release, with the size the bundle declares. Refuses naming every missing
    // digest and who needs it, or the first of another size, before any manifest or
    // tag is pushed.
    void check_external_blobs();
    ImportedArtifact place_image(const PlannedImage& image, const std::map<Digest, std::string>& homes);
    void place_attachments(const PlannedImage& image);
    ImportedArtifact place_chart(const PlannedChart& chart, const std::string& archive);
    ImportedArtifact place_sbom(const PlannedSbom& sbom, const std::string& content);
    void add_tag(std::string repo, std::string tag, std::string media_type, std::string bytes, const Digest& digest);
    void set_tag_if_moved(std::size_t i);

    struct PendingTag {
        std::string repo, tag, media_type, bytes;
        Digest digest;
    };
    void once_per_blob(const std::string& repo, const Digest& digest, const std::function<void()>& make_present);
    void ensure_blob(const std::string& repo, const Digest& digest, std::uint64_t size, const std::string& home);
    // `bytes` verified to hash to `digest` already (a bundle entry, or built here).
    void ensure_blob_bytes(const std::string& repo, const std::string& bytes, const Digest& digest);
    void ensure_manifest(const std::string& repo, const std::string& media_type, const std::string& bytes,
                         const Digest& digest);
    // Registries without the referrers API keep them in an index under a fallback tag:
    // one per subject, holding what was there plus every referrer this import adds.
    void add_fallback_tag(const std::string& repo, const Digest& subject,
                          const std::vector<manifests::Descriptor>& referrers);

    registry::RegistryClient& client_;
    ImportPlan& plan_;
    std::string host_;
    std::mutex mu_;  // guards what follows: placements run in parallel
    std::vector<PendingTag> tags_;
    std::map<std::pair<std::string, Digest>, std::shared_future<void>> blobs_placed_;
    std::map<std::pair<std::string, Digest>, std::vector<manifests::Descriptor>> fallback_referrers_;
    std::vector<ImportedArtifact> artifacts_;
    std::uint64_t manifests_pushed_ = 0, tags_set_ = 0;
};

}  // namespace sealift::mirror
