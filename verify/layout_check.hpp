// Checks that a bundle's images/ folder is a whole OCI image layout: index,
// manifests, configs and layers present, sizes agreeing, media types known,
// every image the signed manifest names tagged in index.json, and no index
// nested deeper than importers walk (manifests/content_rules.hpp).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "manifests/bundle_manifest.hpp"

namespace sealift::verify {

class LayoutCheck {
public:
    explicit LayoutCheck(const manifests::BundleManifest& manifest) : manifest_(manifest) {}

    // True when the entry's content must be handed to add_json (small JSON).
    bool wants_content(const manifests::BundleEntry& entry) const;
    std::size_t content_limit(const manifests::BundleEntry& entry) const;
    void add_json(const manifests::BundleEntry& entry, const std::string& bytes);
    // After the last entry: references resolve (to an entry, or for a layer of a
    // delta bundle to one of its external blobs), nothing is orphaned (an external
    // blob is a layer or the archive of a chart the delta leaves out).
    void finish() const;

private:
    struct Ref {
        Digest digest;
        std::uint64_t size;
        std::string media_type;
        std::string by;               // who references it, for messages
        bool layer = false;           // only layers may be left to a delta bundle's base
        std::optional<Digest> owner;  // a layer's manifest
    };
    void require(const Ref& ref) const;
    // The images' checks; returns the blob paths they reference.
    std::set<std::string> check_images() const;

    const manifests::BundleManifest& manifest_;
    std::vector<Ref> refs_;
    std::map<std::string, Ref> tagged_;                           // ref name -> descriptor, from index.json
    std::map<Digest, std::vector<Digest>> children_;              // index -> the manifests it lists
    std::vector<std::pair<Digest, std::string>> unknown_layers_;  // owning manifest, the complaint
    bool have_layout_ = false, have_index_ = false;
};

}  // namespace sealift::verify
