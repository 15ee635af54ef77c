// What changed between two releases, from their signed manifests and the few
// payload entries that say more (image manifests for layer sizes, the images'
// SBOMs for package changes): the input of `sealift diff` and of release notes,
// and the reader `sealift sbom` takes a bundle's inventory from.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/json.hpp"
#include "core/time.hpp"
#include "manifests/bundle_manifest.hpp"
#include "trust/trust.hpp"

namespace sealift::diff {

// One release as read from a bundle, or from a bare sealift/manifest.json.
struct ReleaseSnapshot {
    std::string source;                      // the path it was read from
    bool whole_bundle = false;               // false: a bare manifest, so no image manifests and no SBOMs
    bool verified = false;                   // signatures (and, for a bundle, every entry) checked against a trust root
    std::vector<std::string> signer_keyids;  // the keys whose signatures verified, when verified
    manifests::BundleManifest manifest;
    Digest manifest_digest;
    std::map<std::string, std::string> image_manifests;  // "sha256:<hex>" -> bytes of every image manifest and index
    std::map<std::string, std::string> sboms;            // entry path (sboms/...) -> text of every image SBOM
};

struct ReadOptions {
    // With a trust root, a bundle is verified whole (verify::verify_bundle) and a bare
    // manifest needs the signatures.json found beside it; without one, nothing is
    // verified, and a bundle is read only until the entries needed were found, each
    // checked against the size and SHA-256 its (unverified) manifest lists.
    std::optional<trust::TrustRoot> trust;
    TimePoint now = now_seconds();  // expiry is judged against this
};

// A bundle (zstd) or a manifest (JSON), told apart by their first bytes. Errors
// name the file: Errc::io when it cannot be read, Errc::format when it is neither.
ReleaseSnapshot read_snapshot(const std::filesystem::path& path, const ReadOptions& options = {});

// What happened to an image, chart or package from the old release to the new.
// Only an image is `retagged`: the same digest under another reference (a tag
// moved on across versions), which brings nothing new and is not a change of it.
enum class ChangeKind { added, removed, changed, retagged };
const char* change_name(ChangeKind kind);  // "added", "removed", "changed", "retagged"

struct Layer {
    std::string digest;  // "sha256:<hex>"
    std::uint64_t size = 0;
};

struct ImageChange {
    ChangeKind kind = ChangeKind::changed;
    std::optional<manifests::BundleImage> old_image, new_image;  // as each release lists it; nullopt: not in it
    const std::string& ref() const { return new_image ? new_image->ref : old_image->ref; }
    // Layers of the new image that no image of the old release had: what a site
    // has yet to receive. nullopt when either side is a bare manifest.
    std::optional<std::vector<Layer>> new_layers;
    std::uint64_t new_layer_bytes() const;
};

struct ChartChange {
    ChangeKind kind = ChangeKind::changed;
    std::string name;
    std::string old_version, new_version, old_app_version, new_app_version;
    std::string old_digest, new_digest;  // of the .tgz: a changed chart may keep its version
};

struct Package {
    std::string name, version, purl;
};

struct PackageChange {
    ChangeKind kind = ChangeKind::changed;
    std::string name;  // the package name, as its SBOM gives it
    std::string key;   // what it is matched by: its purl without version, else its name
    std::vector<std::string> old_versions, new_versions;  // sorted; more than one when an SBOM lists several
};

// The package changes of one image present in both releases (added and removed
// images are whole changes already). Images are matched by reference, else by
// repository when each release has just one image of it.
struct ImagePackages {
    std::string old_ref, new_ref;
    bool old_has_sbom = false, new_has_sbom = false;
    std::vector<PackageChange> changes;  // sorted by key
    std::size_t left_out = 0;            // changes cap_package_changes dropped from the end of `changes`
};

struct Side {
    std::string source, name, version, channel;
    std::string manifest_digest;
    TimePoint issued{}, expires{};
    bool whole_bundle = false, verified = false;
    std::vector<std::string> signer_keyids;
};

struct Diff {
    Side old_side, new_side;
    std::vector<ImageChange> images;  // sorted: added, removed, changed, each by ref
    std::size_t unchanged_images = 0;
    std::vector<ChartChange> charts;  // sorted: added, removed, changed, each by name
    std::size_t unchanged_charts = 0;
    bool packages_known = false;          // both sides are bundles, so their SBOMs were read
    std::vector<ImagePackages> packages;  // only images whose packages changed, by new ref

    bool verified() const { return old_side.verified && new_side.verified; }
    // Whether an image, chart or SBOM package differs (what `diff --exit-code` exits 1 for);
    // release names, versions and notes are not content.
    bool differs() const { return !images.empty() || !charts.empty() || !packages.empty(); }
};

// Throws Errc::format naming the SBOM entry or image manifest that does not parse.
Diff compare(const ReleaseSnapshot& old_release, const ReleaseSnapshot& new_release);

// Keeps at most `max` package changes of each image (the first by key), counting the rest in
// ImagePackages::left_out, so a base-image upgrade's hundreds of packages do not drown the report.
void cap_package_changes(Diff& diff, std::size_t max);

// The three renderings `sealift diff` offers. Each states whether signatures
// were checked and what is unknown because a side was only a manifest.
std::string render_table(const Diff& diff);
std::string render_markdown(const Diff& diff);
Json to_json(const Diff& diff);

}  // namespace sealift::diff
