// The site side: import verified bundles into an OCI registry, and check
// before an upgrade that everything a release needs is there and intact.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/time.hpp"
#include "manifests/import_receipt.hpp"
#include "mirror/store/store.hpp"
#include "registry/registry_client.hpp"
#include "registry/target.hpp"
#include "trust/trust.hpp"

namespace sealift::mirror {

struct RegistryImportOptions {
    std::filesystem::path bundle;
    registry::Target target;
    registry::RegistryOptions registry;  // host is taken from target
    std::filesystem::path rules_file;    // optional name mapping rules (docs/site-admin.md)
    unsigned parallel = 4;               // concurrent blob uploads
    bool quiet = false;
    // Signs the receipt written to `receipt` for the import or its refusal
    // (mirror/site/site.hpp); none without a key.
    std::optional<trust::PrivateKey> site_key;
    std::filesystem::path receipt;
    // The channel promise (docs/site-admin.md): a version older than the registry's
    // current one on the channel is imported only with the admin's reason, which is
    // recorded in the release record and the receipt.
    std::optional<std::string> allow_downgrade;
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
    registry::RegistryClient::Stats stats;
    std::uint64_t manifests_pushed = 0, tags_set = 0;
    std::string release_record;  // HOST/PREFIX/sealift/releases:TAG, what `mirror inventory --registry` lists
    // This very bundle is recorded already, behind the current version: nothing was written.
    bool already_imported = false;
    std::optional<manifests::AllowedDowngrade> downgrade;  // imported as an allowed downgrade
};

// Verifies while streaming and pushes as it goes, in one pass; tags nothing
// until the whole bundle verified, then pushes the release record. The channel
// policy is checked against the registry's release records as soon as the signed
// manifest is known (before the first upload) and again before the first tag.
// Throws sealift::Error (Errc::policy for refusals), after writing a "rejected"
// receipt when it has a site key.
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
    std::string refusal;  // the channel policy would refuse the import: why ("" when it would not)
    // The store only: free space on its filesystem, and whether the blobs fit with a margin.
    std::optional<std::uint64_t> free_bytes;
    bool fits = true;
};

// Signatures and policy are checked as the import checks them (the release's
// keys, expiry); a bundle that would fail them throws.
DryRunReport dry_run_registry(const RegistryImportOptions& options, const trust::TrustRoot& root);

struct PreflightRow {
    std::string kind;  // "image", "chart", "sbom", "blob"
    std::string name;  // target reference
    Digest expected;
    std::string state;   // "present", "missing", "different", "unreadable"
    std::string detail;  // what differs
};

struct PreflightOptions {
    std::filesystem::path bundle;
    registry::Target target;
    registry::RegistryOptions registry;
    std::filesystem::path rules_file;
    bool read_blobs = true;  // read every blob back and check its digest
};

std::vector<PreflightRow> preflight_registry(const PreflightOptions& options, const trust::TrustRoot& root);

// ---- imports into the embedded store (mirror/store) -------------------------------------------------------------

struct StoreImportOptions {
    std::filesystem::path bundle;
    std::filesystem::path store;   // must be a store (store::require_store) unless `create`
    bool quiet = false;            // no progress display
    std::optional<TimePoint> now;  // expiry is judged against max(now or the clock, the store's time floor)
    std::optional<std::filesystem::path>
        site_key;         // signs the receipt; default: the store's own (mirror/site/site.hpp)
    bool create = false;  // create the store when the folder is missing or empty (--create)
    // Reads back every blob the bundle carries that the store holds already and
    // replaces a copy whose digest is wrong. Without it only the size is checked,
    // and the digest of blobs flagged corrupt (fsck, the scrubber, the server).
    bool verify_present = false;
};

struct StoreImportReport {
    std::string name, version, channel;
    Digest manifest_digest;
    std::vector<std::string> signer_keyids;
    std::vector<store::StoredArtifact> artifacts;
    std::uint64_t blobs_written = 0, blobs_present = 0, bytes_written = 0;
    std::uint64_t blobs_replaced = 0;  // of blobs_written: bad copies in the store replaced from the bundle
    bool already_imported = false;     // this very bundle was imported before: nothing changed
    unsigned trust_root_version = 0;   // the store's pinned root after the import
    std::filesystem::path receipt;     // the signed receipt, STORE/receipts/...
};

// Verifies the bundle while streaming it once, writes blobs as they arrive,
// checks channel/version/base policy as soon as the signed manifest is known and
// again under the lock, then commits the release atomically. `root` is the trust
// root to pin when the store has none yet; afterwards the store's pinned root is
// used (updated only through newer roots a verified bundle carries) and `root`
// may be null. Every import and refusal is written to the audit log, and gets a
// receipt in STORE/receipts/ signed with the site key.
// Throws sealift::Error (Errc::policy for refusals) and changes nothing visible then.
StoreImportReport import_to_store(const StoreImportOptions& options, const trust::TrustRoot* root);

// `mirror import --store DIR --dry-run`: what import_to_store would write, with
// the free space of the store's filesystem (of its nearest existing parent when
// the store does not exist yet). Writes nothing, takes no lock; a store that does
// not exist yet needs `root`. The channel policy's verdict is reported, not thrown.
DryRunReport dry_run_store(const StoreImportOptions& options, const trust::TrustRoot* root);

// ---- preflight of the embedded store -----------------------------------------------------------

// Verifies the bundle, then checks the store holds every image, chart, SBOM
// referrer and blob it needs, reading each blob back (read_blobs) to check its digest.
// Rows as the registry preflight's; names are repository:tag or repository@digest.
std::vector<PreflightRow> preflight_store(const std::filesystem::path& bundle, const std::filesystem::path& store,
                                          const trust::TrustRoot* root, bool read_blobs = true);

}  // namespace sealift::mirror
