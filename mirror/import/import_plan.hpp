// What an import must create in the registry, derived from the bundle's signed
// manifest and its image manifests: which repository each blob belongs to,
// the manifests to push (children before parents), the tags, the charts and
// SBOM referrers. Shared by the importer and by preflight.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "manifests/bundle_lookup.hpp"
#include "manifests/bundle_manifest.hpp"
#include "mirror/import/artifacts.hpp"
#include "mirror/import/name_mapping.hpp"

namespace sealift::mirror {

struct PlannedImage {
    std::string source_ref;  // original reference
    std::string repository;  // target repository (no host)
    std::string tag;
    manifests::BundleImage top;
    std::vector<Digest> manifests;  // every manifest/index of the image, children first, then its attachments'
    std::set<Digest> blobs;         // configs and layers
    std::vector<manifests::BundleAttachment> attachments;  // signatures and referrers carried with it
};

struct PlannedChart {
    manifests::BundleChart chart;
    std::string repository, tag;
    // Its archive's, from its entry, or for a chart a delta leaves out (chart.left_out)
    // from the external blob: the site holds those bytes.
    Digest digest;
    std::uint64_t size = 0;
};

struct PlannedSbom {
    manifests::BundleSbom sbom;
    std::string repository;
    const manifests::BundleEntry* entry = nullptr;
    const PlannedImage* image = nullptr;
};

class ImportPlan {
public:
    ImportPlan(const manifests::BundleManifest& manifest, const NameMapping& names);

    // Records an image manifest or index seen in the stream (bytes already verified
    // or about to be): its children and blobs become known.
    void add_manifest(const Digest& digest, const std::string& media_type, std::string bytes);
    // Once every manifest is known: resolves each image's tree.
    void finish();

    // What import pushes for a chart (Helm's OCI layout) and an SBOM (a referrer of
    // its image); built deterministically, so preflight can expect the same digests.
    static Artifact chart_artifact(const PlannedChart& chart, const std::string& archive);
    static Artifact sbom_artifact(const PlannedSbom& sbom);

    // The repository a blob is uploaded to first: the first image whose known tree
    // uses it, else the first image's (the blob is mounted where needed later).
    std::string home_repository(const Digest& blob) const;

    const manifests::BundleManifest& manifest() const { return manifest_; }
    const manifests::BundleLookup& lookup() const { return lookup_; }
    const std::vector<PlannedImage>& images() const { return images_; }
    std::vector<PlannedChart>& charts() { return charts_; }
    const std::vector<PlannedSbom>& sboms() const { return sboms_; }
    const std::string& manifest_bytes(const Digest& d) const { return manifests_.at(d).bytes; }
    const std::string& manifest_media_type(const Digest& d) const { return manifests_.at(d).media_type; }

private:
    struct Stored {
        std::string media_type, bytes;
        std::vector<Digest> children, blobs;
    };
    void walk(PlannedImage& image, const Digest& d, int depth);
    bool tree_contains(const Digest& root, const Digest& blob, int depth) const;

    const manifests::BundleManifest manifest_;  // owned: entry pointers below point into it
    const manifests::BundleLookup lookup_;      // over manifest_: by reference and path, not a scan each
    std::map<Digest, Stored> manifests_;
    std::vector<PlannedImage> images_;
    std::vector<PlannedChart> charts_;
    std::vector<PlannedSbom> sboms_;
};

}  // namespace sealift::mirror

#include "verify/verify.hpp"

namespace sealift::mirror {

// Builds the ImportPlan while the verifier streams the bundle: keeps image
// manifests and indexes, charts and SBOMs (all small), ignores other blobs.
class PlanCollector : public verify::EntrySink {
public:
    explicit PlanCollector(const NameMapping& names) : names_(names) {}

    void on_manifest(const manifests::BundleManifest& m) override { plan_.emplace(m, names_); }
    void on_entry_begin(const manifests::BundleEntry& e) override;
    void on_entry_data(const manifests::BundleEntry&, const char* data, std::size_t size) override;
    void on_entry_end(const manifests::BundleEntry& e) override;

    ImportPlan& plan() { return *plan_; }
    const std::string& document(const std::string& path) const { return documents_.at(path); }

protected:
    bool keeping() const { return keep_; }

private:
    const NameMapping& names_;
    std::optional<ImportPlan> plan_;
    std::map<std::string, std::string> documents_;
    bool keep_ = false;
    std::string buffer_;
};

}  // namespace sealift::mirror
