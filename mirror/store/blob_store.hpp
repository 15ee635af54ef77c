// The store's content-addressed blobs: STORE/blobs/sha256/<hex>, each stored
// once whatever the repositories and releases that use it. A blob reaches its
// final name only by rename, after its digest was checked and its bytes were
// fsynced, so a name under blobs/ always holds exactly that content. Writers
// stage into a private folder under STORE/tmp/ that they hold locked while they
// live; a folder whose lock is free belonged to a killed writer and is removed.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/digest.hpp"
#include "core/file.hpp"
#include "core/stream.hpp"

namespace sealift::mirror::store {

class BlobStore {
public:
    explicit BlobStore(const std::filesystem::path& store_root);

    std::filesystem::path path_of(const Digest& digest) const;
    std::optional<std::uint64_t> size_of(const Digest& digest) const;  // nullopt when absent
    bool contains(const Digest& digest) const { return size_of(digest).has_value(); }

    // Renames a staged, checked and synced file to the blob's name (replacing an
    // identical copy another writer placed meanwhile, or a corrupt one, whose
    // corrupt flag it clears). The folder is synced by sync().
    void place(const std::filesystem::path& staged, const Digest& digest) const;
    // Returns the bytes freed, 0 when it was already gone.
    std::uint64_t remove(const Digest& digest) const;
    void sync() const;  // fsync of the blobs folder: renames and removals become durable

    const std::filesystem::path& dir() const { return dir_; }
    const std::filesystem::path& temp_root() const { return temp_root_; }

    // Removes the staging folders of writers that no longer run. Returns how many.
    std::uint64_t clean_abandoned_staging() const;

private:
    std::filesystem::path dir_, temp_root_;
};

// A writer's private staging folder under STORE/tmp/, locked for its lifetime.
class Staging {
public:
    explicit Staging(const BlobStore& blobs);
    ~Staging();
    Staging(const Staging&) = delete;
    Staging& operator=(const Staging&) = delete;

    // Thread-safe: an import's large layers are staged on the verifier's workers,
    // the pull-through cache stages from several requests at once.
    std::filesystem::path new_file_path();
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_, lock_path_;
    int lock_fd_ = -1;
    std::atomic<std::uint64_t> counter_{0};
};

// Streams one blob into a staging file. With check_digest the bytes are hashed
// and finish() refuses a mismatch; without, the caller vouches for them (the
// bundle verifier hashed the same bytes in the same pass).
class BlobWriter {
public:
    BlobWriter(Staging& staging, Digest expected, bool check_digest);
    ~BlobWriter();
    void write(const char* data, std::size_t size);
    std::uint64_t written() const { return written_; }
    const Digest& digest() const { return expected_; }
    // Checks the digest and hands the still open staging file over, for the
    // caller to sync before placing it.
    File finish();
    const std::filesystem::path& path() const { return path_; }

private:
    Digest expected_;
    std::filesystem::path path_;
    File file_;
    std::optional<Sha256> hash_;
    std::uint64_t written_ = 0;
    bool finished_ = false;
};

// fdatasyncs finished staging files on a worker thread while the stream goes
// on, so the commit waits only for what is still in flight.
class SyncWorker {
public:
    // Files waiting for their sync, at most: each holds a descriptor, and a release of
    // thousands of small blobs arrives faster than they sync (it ran out of descriptors).
    static constexpr std::size_t kMaxQueued = 64;

    SyncWorker();
    ~SyncWorker();
    void submit(File file);  // waits while kMaxQueued files wait already
    void wait();             // throws the first sync failure

private:
    void run();
    std::mutex mutex_;
    std::condition_variable wake_, idle_, room_;
    std::deque<File> queue_;
    bool busy_ = false, stop_ = false;
    std::optional<std::string> failure_;
    std::thread thread_;
};

// The SHA-256 of a blob file's content, read through (a check of the store's own
// copy, which its name promises but a damaged disk or a hand can break).
Digest hash_blob_file(const std::filesystem::path& path);

// Streams `source` into the store as `expected` (hashing it unless the source
// checks it, staging, fsync, rename). Returns the size. Skips the write when the
// blob is already there and not flagged corrupt (corrupt_blobs.hpp).
std::uint64_t ingest(const BlobStore& blobs, Staging& staging, ByteSource& source, const Digest& expected,
                     std::optional<std::uint64_t> expected_size, bool check_digest);

}  // namespace sealift::mirror::store
