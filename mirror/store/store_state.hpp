// The store's metadata on disk, in two kinds of file:
//  - STORE/releases/<manifest hex>.json: what one release put in which
//    repository (tags, manifests, blobs, referrers). Written once before the
//    commit that lists it, never changed: a commit does not rewrite old releases.
//  - STORE/state.json: the small index a commit replaces atomically (temp file,
//    fsync, rename, fsync of the folder): which releases are imported, the current
//    one per (name, channel), cached manifests, gc marks, the time floor.
// A reader that sees a state file sees exactly the releases it lists.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/json.hpp"
#include "mirror/store/store.hpp"

namespace sealift::mirror::store {

struct StorePaths {
    explicit StorePaths(std::filesystem::path root_) : root(std::move(root_)) {}
    std::filesystem::path root;
    std::filesystem::path state() const { return root / "state.json"; }
    std::filesystem::path lock() const { return root / "lock"; }
    std::filesystem::path releases() const { return root / "releases"; }
    std::filesystem::path release_record(const Digest& manifest) const {
        return releases() / (std::string(manifest.hex()) + ".json");
    }
    std::filesystem::path pinned_root() const { return root / "trust" / "root.json"; }
    std::filesystem::path audit_log() const { return root / "audit.log"; }
};

// Creates the folders of an empty store (idempotent).
void create_layout(const StorePaths& paths);
// True when the folder holds a store (its blobs folder exists).
bool is_store(const StorePaths& paths);

// The release's content: what it adds to each repository.
struct ReleaseContent {
    std::map<std::string, Repository> repositories;
    std::vector<StoredArtifact> artifacts;
    Json to_json() const;
    static ReleaseContent from_json(const Json& j, const std::string& what);
};

struct ReleaseEntry {
    std::string name, version, channel;
    Digest manifest_digest;
    std::string imported_at;
    std::vector<std::string> signer_keyids;
    std::uint64_t sequence = 0;  // commit order
};

struct CachedManifest {
    std::string repository, reference;  // reference: tag or digest
    manifests::Descriptor manifest;
    std::map<Digest, std::uint64_t> blobs;  // what it names (children, config, layers) and their sizes: kept by gc
};

struct State {
    std::uint64_t generation = 0, next_sequence = 1;
    std::vector<ReleaseEntry> releases;
    std::map<std::string, Digest> current;  // "name/channel" -> manifest digest
    std::vector<CachedManifest> cached;
    std::map<Digest, std::string> gc_marks;  // unreferenced blob -> when gc first saw it so
    std::optional<TimePoint> time_floor;     // highest issued time of an accepted bundle

    static std::string channel_key(const std::string& name, const std::string& channel) { return name + "/" + channel; }
    const ReleaseEntry* find(const std::string& name, const std::string& channel, const std::string& version) const;
    const ReleaseEntry* find(const Digest& manifest) const;
    const ReleaseEntry* current_of(const std::string& name, const std::string& channel) const;

    // Missing file = empty state.
    static State load(const StorePaths& paths);
    // generation + 1, then the atomic replace.
    void commit(const StorePaths& paths);
};

// One writer at a time across processes: flock on STORE/lock, held until destroyed.
class StoreLock {
public:
    explicit StoreLock(const StorePaths& paths);
    ~StoreLock();
    StoreLock(const StoreLock&) = delete;
    StoreLock& operator=(const StoreLock&) = delete;

private:
    int fd_ = -1;
};

// A descriptor in the state files: the fields a Repository's descriptors use (no platform, no urls).
Json descriptor_json(const manifests::Descriptor& d);
manifests::Descriptor descriptor_from_json(const Json& j, const std::string& what);

}  // namespace sealift::mirror::store

namespace sealift::mirror::store {

// Reads release records, keeping each parsed one: they never change, so a
// reload after a commit reads only the records it has not seen.
class RecordCache {
public:
    std::shared_ptr<const ReleaseContent> get(const StorePaths& paths, const Digest& manifest);

private:
    std::map<Digest, std::shared_ptr<const ReleaseContent>> records_;
};

// What the state's cached manifests and releases put in each repository: cached
// manifests first, then releases in commit order, each channel's current ones
// last, so a current release's tags win.
Snapshot::Contents compose_contents(const StorePaths& paths, const State& state, RecordCache& records);

}  // namespace sealift::mirror::store
