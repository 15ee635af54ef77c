// Lookups over a bundle manifest's lists by image reference and entry path. The
// lists are vectors in signed order, and a release has thousands of images: a
// scan per image or per entry makes verify, diff, sbom and import quadratic in
// the release's size. One pass builds the maps; each lookup is then O(log n).
#pragma once

#include <map>
#include <span>
#include <string_view>
#include <vector>

#include "manifests/bundle_manifest.hpp"

namespace sealift::manifests {

class BundleLookup {
public:
    // Keeps pointers into `manifest`, which must outlive the lookup and not change.
    explicit BundleLookup(const BundleManifest& manifest);
    BundleLookup(const BundleLookup&) = delete;
    BundleLookup& operator=(const BundleLookup&) = delete;

    // The image with reference `ref` (the first, were it listed twice), or nullptr.
    const BundleImage* image(std::string_view ref) const;
    // The SBOMs describing `ref`, in the manifest's order.
    std::span<const BundleSbom* const> sboms_for(std::string_view ref) const;
    // The attachments of the image `ref`, in the manifest's order.
    std::span<const BundleAttachment* const> attachments_for(std::string_view ref) const;
    // The SBOMs and carried charts whose entry is `path` (a left-out chart has none).
    std::span<const BundleSbom* const> sboms_at(std::string_view path) const;
    std::span<const BundleChart* const> charts_at(std::string_view path) const;

private:
    template <class T>
    using Multi = std::map<std::string_view, std::vector<const T*>, std::less<>>;
    template <class T>
    static std::span<const T* const> list(const Multi<T>& map, std::string_view key);

    std::map<std::string_view, const BundleImage*, std::less<>> images_;
    Multi<BundleSbom> sboms_by_ref_, sboms_by_path_;
    Multi<BundleAttachment> attachments_by_ref_;
    Multi<BundleChart> charts_by_path_;
};

}  // namespace sealift::manifests
