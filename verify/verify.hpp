// Offline verification of a sealed bundle in one streaming pass: signatures
// and policy are decided from the signed metadata before any payload byte is
// used, then every entry is checked against the signed list as it streams.
// The mirror's importers consume the same pass through an EntrySink.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "manifests/bundle_manifest.hpp"
#include "trust/trust.hpp"

namespace sealift::verify {

// Receives the bundle as it is verified. Entry data arrives before that entry's
// digest is confirmed (on_entry_end) and before the whole bundle is (the call
// to verify_bundle returning): a sink may stage content, never publish it.
//
// Large entries stored uncompressed in the bundle (gzip layers: most of its
// bytes) may instead be read and hashed on the verifier's worker threads,
// several at once, when the sink allows it (parallel_entries() > 1). For such
// an entry the verifier calls take_entry() on its own thread, in bundle order,
// instead of begin/data/end; the returned stream (nullptr: the sink does not
// need the bytes) then receives them on one worker thread, and finish() once
// their digest matched. A stream destroyed unfinished was abandoned.
class EntrySink {
public:
    class EntryStream {
    public:
        virtual ~EntryStream() = default;
        virtual void write(const char* data, std::size_t size) = 0;
        virtual void finish() = 0;
        // Whether the stream must get its bytes in bundle order relative to the other
        // such streams (a sink whose fixed set of consumers waits in that order).
        // Those that need not may be fed largest entry first, keeping every core busy.
        virtual bool bundle_order() const { return true; }
    };

    virtual ~EntrySink() = default;
    virtual void on_manifest(const manifests::BundleManifest&) {}
    virtual void on_entry_begin(const manifests::BundleEntry&) {}
    virtual void on_entry_data(const manifests::BundleEntry&, const char* /*data*/, std::size_t /*size*/) {}
    virtual void on_entry_end(const manifests::BundleEntry&) {}

    virtual unsigned parallel_entries() const { return 1; }
    virtual std::unique_ptr<EntryStream> take_entry(const manifests::BundleEntry&) { return nullptr; }
};

// How many entries a sink that can take them concurrently should ask for: one
// per core, at least two.
unsigned default_parallel_entries();

struct VerifyOptions {
    TimePoint now = now_seconds();  // expiry is judged against this
};

using manifests::kMaxIssuedAhead;  // manifests/bundle_manifest.hpp

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
// `bundle` may be the first part of a split bundle (NAME.bundle.001): the
// parts are read in order as one stream, and errors name the part.
VerifyReport verify_bundle(const std::filesystem::path& bundle, const trust::TrustRoot& pinned,
                           const VerifyOptions& options, EntrySink* sink = nullptr);

// The signed metadata only, checked as verify_bundle decides before the first
// payload byte: root chain, signatures, expiry, channel policy. No payload entry
// is read (`mirror import --dry-run`); entries, compressed_bytes stay 0.
VerifyReport verify_metadata(const std::filesystem::path& bundle, const trust::TrustRoot& pinned,
                             const VerifyOptions& options);

// The signed metadata only, without checking signatures or payload.
struct Inspection {
    manifests::BundleManifest manifest;
    std::string manifest_bytes;  // sealift/manifest.json exactly as stored
    Digest manifest_digest;
    std::vector<trust::Signature> signatures;
    std::vector<std::string> carried_roots;
    std::uint64_t file_bytes = 0;  // all parts of a split bundle
    std::size_t parts = 1;
};
Inspection inspect_bundle(const std::filesystem::path& bundle);

// Also unverified: the signed metadata, then the payload entries `wanted` picks
// from the manifest (path -> the most bytes accepted), read in bundle order and
// only until each was found, so the layers after them are not read. Every entry
// must match the size and SHA-256 the (unchecked) manifest lists; errors name
// the bundle and the entry.
struct InspectedEntries {
    Inspection head;
    std::map<std::string, std::string> entries;  // path -> content
};
InspectedEntries inspect_entries(
    const std::filesystem::path& bundle,
    const std::function<std::map<std::string, std::size_t>(const manifests::BundleManifest&)>& wanted);

// The signed metadata as one TUF metadata envelope, {"signatures": [...], "signed": <manifest>},
// in canonical JSON: what `sealift build --base-manifest` reads when the base bundle is not at hand.
std::string metadata_envelope(const Inspection& inspection);

// A base release for a delta bundle (`sealift build --base`): its signed manifest
// with the signatures checked against `pinned` (through the roots the base
// carries). Neither the base's expiry (a hotfix may follow a base that has since
// expired) nor its payload is checked: the delta relies only on the signed list
// of blobs, and the site verified the base's payload when it imported it.
struct SignedManifest {
    manifests::BundleManifest manifest;
    Digest manifest_digest;
    std::vector<std::string> signer_keyids;
};
// From the base bundle (or its first part); reads only its head.
SignedManifest read_base_bundle(const std::filesystem::path& bundle, const trust::TrustRoot& pinned,
                                TimePoint now = now_seconds());
// From a metadata envelope written by metadata_envelope().
SignedManifest read_base_envelope(const std::filesystem::path& file, const trust::TrustRoot& pinned,
                                  TimePoint now = now_seconds());

}  // namespace sealift::verify
