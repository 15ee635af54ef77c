// Reads the signed metadata at the head of a bundle (manifest, signatures,
// carried trust roots) with tight size caps, and leaves the stream positioned
// at the first payload entry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/tar_reader.hpp"
#include "manifests/bundle_manifest.hpp"
#include "trust/trust.hpp"
#include "verify/bundle_input.hpp"
#include "verify/zstd_reader.hpp"

namespace sealift::verify {

class MetadataReader {
public:
    explicit MetadataReader(BundleInput& input);

    const manifests::BundleManifest& manifest() const { return manifest_; }
    const std::string& manifest_bytes() const { return manifest_bytes_; }
    const Digest& manifest_digest() const { return manifest_digest_; }
    const std::vector<trust::Signature>& signatures() const { return signatures_; }
    const std::vector<std::string>& carried_roots() const { return roots_; }
    const std::vector<std::string>& carried_root_paths() const { return root_paths_; }
    // Steps 7 and 9 of the verification: from the pinned root through the carried
    // roots, then a threshold of the resulting root's targets role over the manifest.
    trust::TrustRoot root_chain(const trust::TrustRoot& pinned) const;
    std::vector<std::string> check_signatures(const trust::TrustRoot& root) const;

    // The first entry after the metadata (nullopt for a bundle that ends there).
    std::optional<TarEntry> pending_entry() { return std::move(pending_); }
    TarReader& tar() { return tar_; }
    ZstdReader& zstd() { return zstd_; }
    std::uint64_t compressed_bytes() const { return zstd_.compressed_bytes(); }

private:
    std::string read_member(const TarEntry& entry, std::size_t limit);

    ZstdReader zstd_;
    TarReader tar_;
    manifests::BundleManifest manifest_;
    std::string manifest_bytes_;
    Digest manifest_digest_;
    std::vector<trust::Signature> signatures_;
    std::vector<std::string> roots_, root_paths_;
    std::optional<TarEntry> pending_;
};

}  // namespace sealift::verify
