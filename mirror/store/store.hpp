// The embedded mirror's store: a folder holding content-addressed blobs
// (manifests are blobs too) and the metadata of the releases imported into it.
// Readers take an immutable Snapshot, cheap to fetch per request, that follows
// commits made by other processes. Writers (import, rollback, gc, the
// pull-through cache) take the store's lock; a commit makes a release's tags
// appear all at once. docs/store.md describes the layout and the crash rules.
//
// Repository keys are the ORIGINAL names, host included and normalized:
// "registry.example.com/platform/api", "docker.io/library/nginx"; charts live
// under "charts/<name>" (tag = chart version, SemVer '+' written '_'); SBOMs are
// referrers in their image's repository. Mapping a client's request (containerd's
// ?ns=<host>, a path without host) onto these keys is the server's business.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/stream.hpp"
#include "core/time.hpp"
#include "manifests/oci.hpp"
#include "trust/trust.hpp"

namespace sealift::mirror::store {

// What one repository holds in a snapshot. Its descriptors are the distribution API's: the
// media type as stored (Docker schema 2 or OCI), digest and size; artifact type and annotations
// for referrers only. The store keeps no platform or urls (manifests::Descriptor's other fields).
struct Repository {
    std::map<std::string, manifests::Descriptor> tags;  // tag -> manifest
    std::map<Digest, manifests::Descriptor> manifests;  // every manifest and index of the repository
    std::map<Digest, std::uint64_t> blobs;              // configs, layers, chart and SBOM content: digest -> size
    std::map<Digest, std::vector<manifests::Descriptor>>
        referrers;  // subject digest -> referrer manifests, sorted by digest
};

// What a release put in the store, one image, chart or SBOM.
struct StoredArtifact {
    std::string kind;        // "image", "chart", "sbom"
    std::string source;      // original reference, chart name:version, or SBOM path
    std::string repository;  // store repository key
    std::string reference;   // tag, or digest for SBOM referrers
    Digest digest;
};

// One imported release as the store records it.
struct ReleaseRecord {
    std::string name, version, channel;  // channel: "stable", "lts", "hotfix"
    Digest manifest_digest;              // of the bundle's signed manifest
    std::string imported_at;             // RFC 3339
    std::vector<std::string> signer_keyids;
    bool current = false;  // the channel's current version
};

class Snapshot {
public:
    std::uint64_t generation() const { return generation_; }

    // Sorted repository names.
    const std::vector<std::string>& repositories() const { return repository_names_; }
    // nullptr when the repository does not exist.
    const Repository* repository(const std::string& name) const;
    // Sorted tags; empty when the repository does not exist.
    std::vector<std::string> tags(const std::string& repository) const;

    // A manifest by tag or by digest ("sha256:..."); nullopt when the repository does not hold it.
    std::optional<manifests::Descriptor> resolve(const std::string& repository, const std::string& reference) const;
    std::optional<manifests::Descriptor> resolve_tag(const std::string& repository, const std::string& tag) const;
    std::optional<manifests::Descriptor> resolve_digest(const std::string& repository, const Digest& digest) const;
    // The size of a blob (or manifest) that is part of the repository; nullopt otherwise.
    std::optional<std::uint64_t> blob_size(const std::string& repository, const Digest& digest) const;
    // Referrers of a subject in a repository, sorted by digest; artifact_type "" = all.
    std::vector<manifests::Descriptor> referrers(const std::string& repository, const Digest& subject,
                                                 const std::string& artifact_type = "") const;

    // Where the blob's bytes are (open it read-only with O_NOFOLLOW and sendfile it).
    // Only meaningful for a digest this snapshot resolved: otherwise the file may not exist.
    std::filesystem::path blob_path(const Digest& digest) const;

    // Releases sorted by name, channel, version precedence.
    const std::vector<ReleaseRecord>& releases() const { return releases_; }

    // Built by the store; public for the store's loader and for tests.
    struct Contents {
        std::uint64_t generation = 0;
        std::map<std::string, Repository> repositories;
        std::vector<ReleaseRecord> releases;
    };
    Snapshot(std::filesystem::path blobs_dir, Contents contents);

private:
    std::filesystem::path blobs_dir_;
    std::uint64_t generation_;
    std::map<std::string, Repository> repositories_;
    std::vector<std::string> repository_names_;
    std::vector<ReleaseRecord> releases_;
};

// A store is made on purpose (`sealift mirror init`, an import with --create, a
// daemon configured with create_store): a typo in a path must not become a new,
// empty store that a server reports ready and an import fills.

// True when `root` holds a store (its blobs/sha256 folder exists).
bool is_store_folder(const std::filesystem::path& root);
// Errc::io "DIR: not a Sealift store (create one with `sealift mirror init --store DIR`)" unless it is one.
void require_store(const std::filesystem::path& root);
// Creates an empty store in a missing or empty folder and returns true; returns false when a
// store is there already (left as it is). Errc::io naming the folder when it is not a folder,
// or a folder holding something else than a store.
bool create_store(const std::filesystem::path& root);
// create_store's refusals without creating anything (for a dry run): nothing is thrown
// for a store, a missing folder or an empty one.
void check_store_creatable(const std::filesystem::path& root);

// A handle on a store folder; thread-safe, one per process is enough.
class Store {
public:
    // Opens an existing store (require_store's error when it is not one).
    static std::shared_ptr<Store> open(const std::filesystem::path& root);

    ~Store();
    Store(const Store&) = delete;
    Store& operator=(const Store&) = delete;

    const std::filesystem::path& root() const;

    // The current snapshot. Checks whether another process committed a change at
    // most every `recheck` (state file identity: inode, size, mtime) and reloads if so;
    // unchanged release records are reused, so a reload reads only what changed.
    std::shared_ptr<const Snapshot> snapshot(std::chrono::milliseconds recheck = std::chrono::milliseconds(100));
    // Reloads now if the state changed.
    std::shared_ptr<const Snapshot> refresh();

    // Pull-through cache, write side. Streams `source` into a temporary file,
    // hashing it, fsyncs, and renames it into the blob store only when its digest
    // (and size, when given) matched; Errc::integrity naming both digests otherwise.
    // With `source_verified` the source checks the digest itself and fails a read
    // before its end when the bytes do not match (RegistryClient::open_blob, bytes
    // whose digest the caller computed), so they are not hashed a second time.
    // A blob already present is not rewritten. Returns the blob's size.
    std::uint64_t ingest_blob(ByteSource& source, const Digest& expected,
                              std::optional<std::uint64_t> expected_size = {}, bool source_verified = false);
    // Records a manifest fetched from an upstream (its bytes already ingested as a
    // blob) as held by `repository`, under a tag (reference = tag) or by digest
    // (reference = its digest). Kept outside any release: gc keeps it and the
    // blobs it names; a release's tag of the same name wins over a cached one.
    void record_cached_manifest(const std::string& repository, const std::string& reference, const Digest& digest,
                                const std::string& media_type);

    struct Impl;

private:
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// ---- channels, gc --------------------------------------------------------

// Makes an imported VERSION current for (name, channel) again; recorded in the
// state and the audit log. Errc::policy naming the versions that are imported
// when `version` is not one of them.
void rollback(const std::filesystem::path& store, const std::string& name, const std::string& channel,
              const std::string& version);

struct GcOptions {
    unsigned keep = 3;  // newest versions kept per (name, channel), plus the current one
    std::chrono::seconds grace = std::chrono::minutes(10);
    std::optional<TimePoint> now;
};

struct GcReport {
    std::vector<ReleaseRecord> releases_dropped;
    std::uint64_t blobs_marked = 0;  // newly unreferenced, deleted by a later gc after the grace period
    std::uint64_t blobs_deleted = 0, bytes_deleted = 0;
    std::uint64_t temp_files_removed = 0;
};

// Drops releases beyond `keep`, then deletes blobs that no retained release and no
// cached manifest references and that were found unreferenced at least `grace` ago.
GcReport gc(const std::filesystem::path& store, const GcOptions& options);

}  // namespace sealift::mirror::store
