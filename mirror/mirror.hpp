// The site side: import verified bundles into an OCI registry, and check
// before an upgrade that everything a release needs is there and intact.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "mirror/registry_client.hpp"
#include "trust/trust.hpp"

namespace sealift::mirror {

// HOST[:PORT][/PREFIX], e.g. "registry.local:5000/mirror".
struct Target {
    std::string host;
    std::string prefix;  // "" or "a/b", no leading or trailing '/'
    static Target parse(const std::string& text);
};

struct RegistryImportOptions {
    std::filesystem::path bundle;
    Target target;
    RegistryOptions registry;          // host is taken from target
    std::filesystem::path rules_file;  // optional name mapping rules (docs/site-admin.md)
    unsigned parallel = 4;             // concurrent blob uploads
    bool quiet = false;
    // Signs the receipt written to `receipt` for the import or its refusal
    // (mirror/site/site.hpp); none without a key.
    std::optional<trust::PrivateKey> site_key;
    std::filesystem::path receipt;
};

struct ImportedArtifact {
    std::string kind;    // "image", "chart", "sbom"
    std::string source;  // original reference, chart name:version, or SBOM path
    std::string target;  // HOST/REPO:TAG or HOST/REPO@DIGEST
    Digest digest;
};

struct ImportReport {
    std::string release;  // name version (channel)
    Digest manifest_digest;
    std::vector<std::string> signer_keyids;
    std::vector<ImportedArtifact> artifacts;
    RegistryClient::Stats stats;
    std::uint64_t manifests_pushed = 0, tags_set = 0;
    std::string release_record;  // HOST/PREFIX/sealift/releases:TAG, what `mirror inventory --registry` lists
};

// Verifies while streaming and pushes as it goes, in one pass; tags nothing
// until the whole bundle verified, then pushes the release record. Throws
// sealift::Error, after writing a "rejected" receipt when it has a site key.
ImportReport import_to_registry(const RegistryImportOptions& options, const trust::TrustRoot& root);

// `mirror import --dry-run`: what an import would do, decided from the bundle's
// signed metadata and its image manifests, charts and SBOMs (the front of the
// bundle: no layer is read) and presence checks at the target. Writes nothing.
struct DryRunReport {
    std::string release;  // name version (channel)
    Digest manifest_digest;
    std::vector<std::string> signer_keyids;
    std::uint64_t blobs_to_write = 0, bytes_to_write = 0;  // registry: uploads; store: new blob files
    std::uint64_t blobs_present = 0, bytes_present = 0;
    std::vector<Digest> external_missing;  // left out by a delta and absent: the import would refuse
    std::uint64_t external_present = 0;
    std::string refusal;  // the store's channel policy would refuse the import: why ("" when it would not)
    // The store only: free space on its filesystem, and whether the blobs fit with a margin.
    std::optional<std::uint64_t> free_bytes;
    bool fits = true;
};

// Signatures and policy are checked as the import checks them (the release's
// keys, expiry); a bundle that would fail them throws.
DryRunReport dry_run_registry(const RegistryImportOptions& options, const trust::TrustRoot& root);

struct PreflightRow {
    std::string kind;      // "image", "chart", "sbom", "blob"
    std::string name;      // target reference
    Digest expected;
    std::string state;     // "present", "missing", "different", "unreadable"
    std::string detail;    // what differs
};

struct PreflightOptions {
    std::filesystem::path bundle;
    Target target;
    RegistryOptions registry;
    std::filesystem::path rules_file;
    bool read_blobs = true;  // read every blob back and check its digest
};

std::vector<PreflightRow> preflight_registry(const PreflightOptions& options, const trust::TrustRoot& root);

}  // namespace sealift::mirror
