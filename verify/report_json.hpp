// The JSON of what a bundle's signed manifest says, in the one layout that
// `sealift inspect --json`, `verify --json` and `diff --json` share for the same
// things (the release, its issue and expiry times, its images and their
// attachments, what a delta leaves out). docs/json-reports.md describes it.
#pragma once

#include <string>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "manifests/bundle_manifest.hpp"

namespace sealift::verify {

// Which release a manifest is, as every report names it.
struct ReleaseSummary {
    std::string name, version, channel;
    TimePoint issued{}, expires{};
    std::string manifest_digest;  // "sha256:<hex>" of sealift/manifest.json

    static ReleaseSummary of(const manifests::BundleManifest& manifest, const Digest& manifest_digest);
};

// Sets "release": {name, version, channel}, "issued", "expires" and "manifestDigest" in `report`.
void put_release(Json& report, const ReleaseSummary& release);

// {ref, digest, mediaType, size}, and sourceDigest for an image a platform filter cut from a registry's index.
Json image_json(const manifests::BundleImage& image);
// Every image of the manifest, in its order.
Json images_json(const manifests::BundleManifest& manifest);
// The carried signatures, attestations and referrers: {for, subject, kind, tag (cosign only), digest, mediaType, size}.
Json attachments_json(const manifests::BundleManifest& manifest);
// What a delta leaves to its base or to a site: null for a full bundle.
Json base_json(const manifests::BundleManifest& manifest);
Json site_inventory_json(const manifests::BundleManifest& manifest);

}  // namespace sealift::verify
