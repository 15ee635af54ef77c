// `sealift mirror fsck`: reads every blob of the store back and checks it
// hashes to its name, and that every blob the store's releases and cached
// manifests reference is there. With repair, a corrupt blob's bytes move to
// STORE/quarantine/<hex> and the blob is flagged (corrupt_blobs.hpp), so the
// server stops serving it and the next import of a bundle carrying it writes a
// good copy; a flag on a blob that hashes right again is cleared.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/digest.hpp"

namespace sealift::mirror::store {

// Who references a blob: a release (or the pull-through cache) and the repository.
struct BlobReference {
    std::string release;                 // "platform 1.0.0 (stable)", or "pull-through cache"
    std::string repository;              // store repository key
    std::vector<std::string> artifacts;  // what the release put in that repository ("image registry.example.com/a:1")
};

struct FsckFinding {
    Digest digest;
    std::optional<Digest> actual;                // corrupt: what the bytes hash to
    std::uint64_t size = 0;                      // corrupt: bytes on disk
    std::optional<std::uint64_t> recorded_size;  // the size the store's records give it, when referenced
    std::vector<BlobReference> referenced_by;
    bool flagged = false;      // flagged corrupt (before or by this run)
    bool quarantined = false;  // its bytes are in STORE/quarantine/ (moved by this or an earlier repair)
};

struct FsckOptions {
    bool repair = false;
    std::function<void(std::uint64_t bytes)> on_bytes;  // progress: called after each blob
};

struct FsckReport {
    std::uint64_t blobs_checked = 0, bytes_checked = 0;
    std::vector<FsckFinding> corrupt;   // hash does not match the name
    std::vector<FsckFinding> missing;   // referenced, absent (quarantined ones included)
    std::vector<Digest> flagged_sound;  // flagged corrupt (so not served), but hashed right
    std::vector<Digest> flags_cleared;  // repair: those of flagged_sound whose flag it removed
    bool clean() const { return corrupt.empty() && missing.empty(); }
};

// Reads every blob through a fixed buffer. Takes the store's lock only to move
// corrupt blobs (repair), so imports and the server go on meanwhile.
FsckReport fsck(const std::filesystem::path& store, const FsckOptions& options);

}  // namespace sealift::mirror::store
