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
};

// Verifies while streaming and pushes as it goes, in one pass; tags nothing
// until the whole bundle verified. Throws sealift::Error.
ImportReport import_to_registry(const RegistryImportOptions& options, const trust::TrustRoot& root);

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
