// Offline verification of a sealed bundle in one streaming pass: signatures
// and policy are decided from the signed metadata before any payload byte is
// used, then every entry is checked against the signed list as it streams.
// The mirror's importers consume the same pass through an EntrySink.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "manifests/bundle_manifest.hpp"
#include "trust/trust.hpp"

namespace sealift::verify {

// Receives the bundle as it is verified. Entry data arrives before that entry's
// digest is confirmed (on_entry_end) and before the whole bundle is (the call
// to verify_bundle returning): a sink may stage content, never publish it.
class EntrySink {
public:
    virtual ~EntrySink() = default;
    virtual void on_manifest(const manifests::BundleManifest&) {}
    virtual void on_entry_begin(const manifests::BundleEntry&) {}
    virtual void on_entry_data(const manifests::BundleEntry&, const char* /*data*/, std::size_t /*size*/) {}
    virtual void on_entry_end(const manifests::BundleEntry&) {}
};

struct VerifyOptions {
    TimePoint now = now_seconds();  // expiry is judged against this
};

struct VerifyReport {
    manifests::BundleManifest manifest;
    Digest manifest_digest;
    std::vector<std::string> signer_keyids;
    unsigned root_version = 0;               // of the root that verified the signatures
    std::vector<std::string> carried_roots;  // newer roots the bundle carried, in order, as text
    std::uint64_t entries = 0, payload_bytes = 0, compressed_bytes = 0;
};

// Throws sealift::Error (format, integrity, signature or policy) naming the
// bundle entry and the reason; Errc::io when the file cannot be opened.
VerifyReport verify_bundle(const std::filesystem::path& bundle, const trust::TrustRoot& pinned, const VerifyOptions& options,
                           EntrySink* sink = nullptr);

// The signed metadata only, without checking signatures or payload.
struct Inspection {
    manifests::BundleManifest manifest;
    Digest manifest_digest;
    std::vector<trust::Signature> signatures;
    std::vector<std::string> carried_roots;
    std::uint64_t file_bytes = 0;
};
Inspection inspect_bundle(const std::filesystem::path& bundle);

}  // namespace sealift::verify
