// Hashing is nearly all of verification's work, and one SHA-256 runs on one
// core. Large entries stored uncompressed in the bundle are therefore read from
// their places in the bundle and hashed on worker threads, several at once, while
// the main pass walks on. Each worker reads its entry into a private buffer and
// hashes and hands on the same bytes, so what was checked is what a sink gets.
#pragma once

#include <atomic>
#include <memory>
#include <vector>

#include "verify/bundle_input.hpp"
#include "core/worker_pool.hpp"
#include "verify/verify.hpp"
#include "verify/zstd_reader.hpp"

namespace sealift::verify {

class StoredEntryLane {
public:
    StoredEntryLane(const BundleInput& input, unsigned workers);
    ~StoredEntryLane();  // abandons entries still in flight

    // Blocks while every worker is busy. Throws the first failure so far.
    void submit(const manifests::BundleEntry& entry, std::vector<InputExtent> extents, std::unique_ptr<EntrySink::EntryStream> stream);
    // Waits for every entry; throws the first failure. Returns the bytes hashed.
    std::uint64_t finish();

private:
    const BundleInput& input_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> bytes_{0};
    WorkerPool pool_;
};

}  // namespace sealift::verify
