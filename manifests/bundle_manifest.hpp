// The sealed bundle manifest: the signed first entry of every bundle. It is a
// TUF "targets" document (so independent TUF tooling can check its signatures)
// whose `targets` list every other entry with length, SHA-256 and media type,
// and whose `sealift` member carries the release: metadata, images, charts,
// SBOMs and notes. docs/bundle-format.md is the normative description.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "manifests/release.hpp"
#include "manifests/semver.hpp"

namespace sealift::manifests {

inline constexpr int kBundleFormatVersion = 1;

// How far a bundle's signed issue time may lie ahead of the verifier's clock:
// clocks of a signing host and an offline site drift apart, but a bundle issued
// later than this was sealed by a wrong clock (or is not meant for use yet), and
// at a mirror its issue time would push the time floor past the site's own clock.
inline constexpr std::chrono::seconds kMaxIssuedAhead{5 * 60};

namespace bundle_paths {
inline constexpr std::string_view manifest = "sealift/manifest.json";
inline constexpr std::string_view signatures = "sealift/signatures.json";
inline constexpr std::string_view root_prefix = "sealift/root/";  // sealift/root/<N>.root.json
inline constexpr std::string_view checksums = "SHA256SUMS";
inline constexpr std::string_view bundle_sbom = "sealift/sbom.cdx.json";
inline constexpr std::string_view layout_prefix = "images/";
inline constexpr std::string_view blobs_prefix = "images/blobs/sha256/";
// The entry that holds a blob: images/blobs/sha256/<hex>.
inline std::string blob(const Digest& d) { return std::string(blobs_prefix) + std::string(d.hex()); }
inline bool is_blob(std::string_view path) { return path.substr(0, blobs_prefix.size()) == blobs_prefix; }
}  // namespace bundle_paths

// Limits a verifier enforces before trusting anything.
inline constexpr std::size_t kMaxManifestBytes = 16u << 20;
inline constexpr std::size_t kMaxSignaturesBytes = 1u << 20;
inline constexpr std::size_t kMaxRootBytes = 1u << 20;
inline constexpr std::size_t kMaxEntries = 1u << 20;
inline constexpr std::size_t kMaxDocumentBytes = 16u << 20;  // charts, SBOMs, release notes: held in memory to check

struct BundleEntry {
    std::string path;
    std::uint64_t size = 0;
    Digest digest;
    std::string media_type;
};

struct BundleImage {
    std::string ref;  // original reference, e.g. registry.example.com/platform/api:1.0.0
    Digest digest;    // manifest (or index) digest
    std::string media_type;
    std::uint64_t size = 0;
    // Pulled from a registry through a platforms filter: the digest of the
    // registry's index, of which `digest` is a copy listing only the kept
    // platforms. Absent otherwise (then `digest` is the registry's own).
    std::optional<Digest> source_digest;
};

struct BundleChart {
    std::string name, version, app_version;
    std::string path;  // charts/<name>-<version>.tgz: an entry, unless the chart is left out
    // Only in a delta: the SHA-256 of the archive it leaves out because the site
    // already holds those exact bytes (an external blob, which gives its size).
    std::optional<Digest> left_out;
};

struct BundleSbom {
    std::string path;     // entry path, sboms/<file>
    std::string for_ref;  // image reference it describes
    std::string format;   // "cyclonedx" | "spdx"
};

// A signature, attestation or other referrer of an image, carried with it: its
// manifest and blobs are entries, and import pushes it along so admission
// controllers at the site still find it.
namespace attachment_kind {
inline constexpr const char* signature = "signature";      // cosign, tag sha256-<subject hex>.sig
inline constexpr const char* attestation = "attestation";  // cosign, tag sha256-<subject hex>.att
inline constexpr const char* referrer = "referrer";        // OCI 1.1: a manifest whose subject is the image
}  // namespace attachment_kind

struct BundleAttachment {
    std::string for_ref;  // the image it belongs to
    Digest subject;       // the manifest it is about: the image's, or one of its index's children
    std::string kind;     // attachment_kind
    std::string tag;      // the cosign tag; empty for referrers
    Digest digest;        // its manifest (an entry)
    std::string media_type;
    std::uint64_t size = 0;
};
// The tag cosign gives a signature ("sig") or attestation ("att") of `subject`.
std::string cosign_tag(const Digest& subject, const std::string& suffix);
// The order attachments are listed in: image, subject, kind, digest.
bool attachment_before(const BundleAttachment& a, const BundleAttachment& b);

// The release a delta bundle builds on: the site must already hold it.
struct BundleBase {
    std::string name;  // equals the delta's own release name
    SemVer version;    // precedes the delta's version
    Channel channel = Channel::stable;
    Digest manifest_digest;  // SHA-256 of the base bundle's sealift/manifest.json
};

// The signed site inventory an inventory delta was cut against
// (manifests/site_inventory.hpp): the layers it lists the bundle leaves out.
struct BundleSiteInventory {
    Digest digest;           // SHA-256 of the inventory file
    std::string site_keyid;  // the site key that signed it
    TimePoint created{};
};

// A blob a delta bundle uses but leaves out, because its base already carries
// it, or the site inventory it was cut against lists it: image layers (manifests
// and configs always travel) and chart archives (BundleChart::left_out).
struct ExternalBlob {
    Digest digest;
    std::uint64_t size = 0;
};

struct BundleManifest {
    int format_version = kBundleFormatVersion;
    std::string name;
    SemVer version;
    Channel channel = Channel::stable;
    TimePoint issued{};
    TimePoint expires{};
    std::vector<BundleEntry> entries;  // sorted by path
    std::vector<BundleImage> images;   // sorted by ref
    std::vector<BundleChart> charts;
    std::vector<BundleSbom> sboms;
    std::string release_notes;                          // entry path, or empty
    std::string bundle_sbom;                            // entry path of the bundle's own SBOM
    std::optional<BundleBase> base;                     // declared base release of a delta bundle
    std::optional<BundleSiteInventory> site_inventory;  // declared inventory of an inventory delta; never with a base
    std::vector<ExternalBlob> external_blobs;           // sorted by digest; only with a base or a site inventory
    std::vector<BundleAttachment> attachments;          // sorted by image, subject, kind, digest

    // The exact bytes that are signed and stored as sealift/manifest.json.
    std::string canonical_bytes() const;
    // Parses and checks structure: types, digests, safe entry paths, no duplicates,
    // every path the release section names is an entry. Errors name `what`.
    static BundleManifest parse(std::string_view bytes, const std::string& what);

    const BundleEntry* find(std::string_view path) const;
    const ExternalBlob* find_external(const Digest& digest) const;
    // The SHA-256 of a chart's archive: its entry's, or the one a delta leaves out.
    const Digest& chart_digest(const BundleChart& chart) const;
    bool is_delta() const { return base.has_value() || site_inventory.has_value(); }
    // What a delta leaves its external blobs to, for messages: "delta bundle on NAME VERSION"
    // or "inventory delta for site KEYID".
    std::string delta_description() const;
    std::uint64_t payload_bytes() const;   // sum of every listed entry's size
    std::uint64_t external_bytes() const;  // sum of the external blobs' sizes
    std::string file_name() const;         // <name>-<version>-<channel>.bundle
};

// Split media: a bundle cut into numbered parts, NAME.bundle.001, .002, ... whose
// bytes concatenated are the bundle (docs/bundle-format.md section 2.1).
inline constexpr unsigned kMaxSplitParts = 999;
std::string split_part_name(const std::string& bundle_file_name, unsigned number);  // number from 1

// A bundle entry path is relative, '/'-separated, made of [A-Za-z0-9._+-] components,
// none empty, "." or "..", at most 255 bytes.
bool valid_entry_path(std::string_view path);

// sha256sum's format, sorted by path: "<hex>  <path>\n".
std::string format_sha256sums(const std::vector<BundleEntry>& entries);

}  // namespace sealift::manifests
