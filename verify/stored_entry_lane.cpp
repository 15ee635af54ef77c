#include "verify/stored_entry_lane.hpp"

#include <algorithm>

#include "core/digest.hpp"
#include "core/error.hpp"

namespace sealift::verify {
namespace {

// Queued order-free entries hold only their places in the bundle: a few hundred
// cost nothing, and cover the large entries of any realistic bundle.
constexpr std::size_t kMaxQueuedFree = 512;

constexpr auto smaller = [](const auto& a, const auto& b) { return a.entry->size < b.entry->size; };

}  // namespace

StoredEntryLane::StoredEntryLane(const BundleInput& input, unsigned workers) : input_(input), pool_(workers) {}

StoredEntryLane::~StoredEntryLane() { stopping_ = true; }

void StoredEntryLane::submit(const manifests::BundleEntry& entry, std::vector<InputExtent> extents,
                             std::unique_ptr<EntrySink::EntryStream> stream) {
    if (auto failure = pool_.failure()) throw *failure;
    bool in_order = stream && stream->bundle_order();
    {
        std::unique_lock lock(mu_);
        // At most one ordered entry waits, as a sink feeding consumers in order expects.
        room_.wait(lock, [&] { return in_order ? ordered_.empty() : free_.size() < kMaxQueuedFree; });
        Job job{&entry, std::move(extents), std::move(stream)};
        if (in_order) {
            ordered_.push_back(std::move(job));
        } else {
            free_.push_back(std::move(job));
            std::push_heap(free_.begin(), free_.end(), smaller);
        }
    }
    // One run per job; each takes whichever queued job is best when a worker is free.
    pool_.post([this] {
        Job job = next_job();
        hash(job);
    });
}

StoredEntryLane::Job StoredEntryLane::next_job() {
    std::lock_guard lock(mu_);
    Job job;
    if (!ordered_.empty()) {  // a consumer is waiting for it
        job = std::move(ordered_.front());
        ordered_.pop_front();
    } else {
        std::pop_heap(free_.begin(), free_.end(), smaller);
        job = std::move(free_.back());
        free_.pop_back();
    }
    room_.notify_all();
    return job;
}

void StoredEntryLane::hash(Job& job) {
    constexpr std::size_t kChunk = 1u << 20;
    std::vector<char> buf(kChunk);
    Sha256 hash;
    const auto& entry = *job.entry;
    for (const auto& extent : job.extents) {
        for (std::uint64_t done = 0; done < extent.length;) {
            // After another entry failed the verdict is known: queued entries need not be read to the end.
            if (stopping_ || pool_.failure()) fail(Errc::internal, "entry '" + entry.path + "': verification stopped");
            auto n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, extent.length - done));
            input_.pread_exact(buf.data(), n, extent.offset + done);
            hash.update(buf.data(), n);
            if (job.stream) job.stream->write(buf.data(), n);
            done += n;
            bytes_ += n;
        }
    }
    if (hash.finish() != entry.digest)
        fail(Errc::integrity, "entry '" + entry.path + "' does not match its SHA-256 in the signed manifest");
    if (job.stream) job.stream->finish();
}

std::uint64_t StoredEntryLane::finish() {
    pool_.wait();
    return bytes_;
}

}  // namespace sealift::verify
