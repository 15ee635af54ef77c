// A registry has no place for release metadata, so registry import leaves a
// small OCI artifact per release: PREFIX/sealift/releases:<name>-<version>-<channel>
// (SemVer's '+' written '_'), whose manifest annotations name the release and its
// bundle manifest digest, and whose one layer holds the same as JSON. The
// registry inventory lists them. Private to the mirror library.
#pragma once

#include <string>
#include <vector>

#include "manifests/bundle_manifest.hpp"
#include "manifests/site_inventory.hpp"
#include "registry/registry_client.hpp"
#include "registry/target.hpp"

namespace sealift::mirror::site {

std::string release_records_repository(const registry::Target& target);  // "PREFIX/sealift/releases"

// The record's blobs: its empty config ("{}") and its layer, the release as canonical JSON.
struct ReleaseRecordBlobs {
    std::string config, layer;
};
ReleaseRecordBlobs release_record_blobs(const manifests::BundleManifest& m, const Digest& manifest_digest);

// Pushes the record of a release that was imported (blobs, manifest, then its tag). Returns the tag.
std::string push_release_record(registry::RegistryClient& client, const registry::Target& target,
                                const manifests::BundleManifest& m, const Digest& manifest_digest);

// The releases recorded under the target, `current` left false. Reads manifests only.
std::vector<manifests::InventoryRelease> read_release_records(registry::RegistryClient& client,
                                                              const registry::Target& target);

}  // namespace sealift::mirror::site
