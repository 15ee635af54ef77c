// The release side: `sealift build` packs a release manifest into one sealed
// bundle file (docs/bundle-format.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "manifests/bundle_manifest.hpp"
#include "manifests/site_inventory.hpp"
#include "registry/registry_client.hpp"
#include "trust/trust.hpp"

namespace sealift::builder {

inline constexpr const char* kDefaultExpiry = "180d";
// A bundle must stay valid at least this long after it is built: it still has to
// travel to the sites and wait there for its maintenance window.
inline constexpr const char* kDefaultMinValidity = "30d";

// The release a delta bundle builds on: its signed manifest, signatures already
// checked (verify::read_base_bundle / read_base_envelope).
struct DeltaBase {
    manifests::BundleManifest manifest;
    Digest manifest_digest;
    std::string origin;  // "--base FILE", for messages
};

// The signed inventory of the site a bundle is cut for: its signature already
// checked against the site's key (read_site_inventory).
struct InventoryBase {
    manifests::SiteInventory inventory;
    Digest file_digest;  // SHA-256 of the inventory file, declared in the bundle
    std::string origin;  // "--site-inventory FILE", for messages
};

// Reads FILE ({"signatures":[...],"signed":{...}}, manifests/site_inventory.hpp),
// parses it strictly and checks that `site_key` signed it. Errors name the file.
InventoryBase read_site_inventory(const std::filesystem::path& file, const trust::PublicKey& site_key);

// A split size below this could not make progress through a bundle's metadata.
inline constexpr std::uint64_t kMinSplitSize = 1u << 20;

struct BuildOptions {
    std::filesystem::path release_file;
    std::vector<std::filesystem::path> key_files;  // release keys that sign the manifest
    std::filesystem::path out_dir;
    std::string expires = kDefaultExpiry;            // duration from the issue time, or a date
    std::string min_validity = kDefaultMinValidity;  // refuse a bundle expiring sooner than this from now
    bool force = false;                              // replace an existing bundle of the name with other bytes
    std::vector<std::filesystem::path> root_files;   // newer trust roots the bundle carries (rotation)
    int level = 3;                                   // zstd level for compressible data
    unsigned threads = 0;                            // zstd workers; 0 = one per core
    bool quiet = false;
    std::optional<DeltaBase> base;                // write a delta: leave out the layers the base has
    std::optional<InventoryBase> site_inventory;  // or: leave out the layers the site holds (not with base)
    bool require_sbom = false;                    // refuse an image without an SBOM
    std::uint64_t split_size = 0;                 // > 0: write NAME.bundle.001, ... each smaller than this
    // Images named by `ref:` are pulled with these transport options (the host
    // comes from each reference) and these credentials, else each host's own
    // from the environment or Docker config.json (registry::resolve_credentials).
    registry::RegistryOptions registry;
    std::optional<registry::Credentials> registry_credentials;
    std::optional<std::filesystem::path> from_lock;   // pull the digests it records (wins over the release's lock:)
    std::optional<std::filesystem::path> write_lock;  // write every registry image's resolved digest here
};

struct BuildResult {
    std::filesystem::path bundle;              // the bundle, or its first part when split
    std::vector<std::filesystem::path> parts;  // every part, in order, when split
    Digest manifest_digest;                    // SHA-256 of sealift/manifest.json
    std::uint64_t bundle_bytes = 0;
    std::size_t images = 0, blobs = 0, charts = 0, sboms = 0;
    std::size_t external_blobs = 0;  // left to the base or the site (delta bundles)
    std::uint64_t external_bytes = 0;
    bool unchanged = false;                            // the same bytes were there already: left in place
    std::vector<std::filesystem::path> removed_stale;  // temporary files of interrupted builds, removed
    std::vector<std::string> warnings;                 // one line each, for the user
};

// Throws sealift::Error naming the input at fault; never leaves a partial bundle.
BuildResult build_bundle(const BuildOptions& options);

}  // namespace sealift::builder
