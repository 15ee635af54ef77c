// A registry has no place for release metadata, so registry import leaves a
// small OCI artifact per release: PREFIX/sealift/releases:<name>-<version>-<channel>
// (SemVer's '+' written '_'), whose manifest annotations name the release and its
// bundle manifest digest, and whose one layer holds the same as JSON. The
// registry inventory lists them, and a registry import reads them to keep the
// channel promise (mirror/store/channel_decision.hpp). A release imported as an
// allowed downgrade carries the version it replaced and the admin's reason too.
// Private to the mirror library.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "manifests/bundle_manifest.hpp"
#include "manifests/import_receipt.hpp"
#include "manifests/site_inventory.hpp"
#include "registry/registry_client.hpp"
#include "registry/target.hpp"

namespace sealift::mirror::site {

std::string release_records_repository(const registry::Target& target);  // "PREFIX/sealift/releases"

// The record's blobs: its empty config ("{}") and its layer, the release as canonical JSON.
struct ReleaseRecordBlobs {
    std::string config, layer;
};
ReleaseRecordBlobs release_record_blobs(const manifests::BundleManifest& m, const Digest& manifest_digest,
                                        const std::optional<manifests::AllowedDowngrade>& downgrade = {});

// Pushes the record of a release that was imported (blobs, manifest, then its tag). Returns the tag.
std::string push_release_record(registry::RegistryClient& client, const registry::Target& target,
                                const manifests::BundleManifest& m, const Digest& manifest_digest,
                                const std::optional<manifests::AllowedDowngrade>& downgrade = {});

// HOST/PREFIX/sealift/releases:TAG, the record of release `m`.
std::string release_record_reference(const registry::RegistryClient& client, const registry::Target& target,
                                     const std::string& name, const std::string& version, const std::string& channel);

// The releases recorded under the target, `current` left false. Reads manifests only.
std::vector<manifests::InventoryRelease> read_release_records(registry::RegistryClient& client,
                                                              const registry::Target& target);
// Only those of one release name and channel (their tags are NAME-VERSION-CHANNEL).
std::vector<manifests::InventoryRelease> read_release_records(registry::RegistryClient& client,
                                                              const registry::Target& target, const std::string& name,
                                                              manifests::Channel channel);

}  // namespace sealift::mirror::site
