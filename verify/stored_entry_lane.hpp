// Hashing is nearly all of verification's work, and one SHA-256 runs on one
// core. Large entries stored uncompressed in the bundle are therefore read from
// their places in the bundle and hashed on worker threads, several at once, while
// the main pass walks on. Each worker reads its entry into a private buffer and
// hashes and hands on the same bytes, so what was checked is what a sink gets.
//
// Entries whose stream need not follow bundle order are queued ahead and taken
// largest first: a big blob that happens to come last would otherwise keep one
// core busy alone at the end while the others wait.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "core/worker_pool.hpp"
#include "verify/bundle_input.hpp"
#include "verify/verify.hpp"
#include "verify/zstd_reader.hpp"

namespace sealift::verify {

class StoredEntryLane {
public:
    StoredEntryLane(const BundleInput& input, unsigned workers);
    ~StoredEntryLane();  // abandons entries still in flight

    // Blocks while the queue for this kind of entry is full. Throws the first failure so far.
    void submit(const manifests::BundleEntry& entry, std::vector<InputExtent> extents,
                std::unique_ptr<EntrySink::EntryStream> stream);
    // Waits for every entry; throws the first failure. Returns the bytes hashed.
    std::uint64_t finish();

private:
    struct Job {
        const manifests::BundleEntry* entry = nullptr;
        std::vector<InputExtent> extents;
        std::unique_ptr<EntrySink::EntryStream> stream;
    };
    Job next_job();
    void hash(Job& job);

    const BundleInput& input_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint64_t> bytes_{0};
    std::mutex mu_;
    std::condition_variable room_;
    std::deque<Job> ordered_;  // streams fed in bundle order (a sink's consumers wait in that order)
    std::vector<Job> free_;    // the others: a heap, largest entry on top
    WorkerPool pool_;          // last: its threads stop before the queues go
};

}  // namespace sealift::verify
