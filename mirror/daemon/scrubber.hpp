// The daemon's background scrub: reads every blob of the store back at a
// bounded rate and flags the ones that no longer hash to their name
// (store/corrupt_blobs.hpp), so the server stops serving them before a client
// pulls bad bytes, and the next import carrying them replaces them. A pass
// starts at most every `interval` (default a week) and reads at most
// `max_bytes_per_second` (default 20 MB/s), so a large store is not read in a
// burst that starves the pulls.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/digest.hpp"
#include "mirror/daemon/json_log.hpp"

namespace sealift::mirror::store {
class CorruptBlobs;
}

namespace sealift::mirror::daemon {

struct ScrubOptions {
    std::chrono::seconds interval = std::chrono::hours(24 * 7);       // from the start of one pass to the next
    std::uint64_t max_bytes_per_second = 20'000'000;                  // 0: no background scrub
    std::chrono::seconds first_pass_delay = std::chrono::minutes(1);  // after start, let the daemon settle
};

struct ScrubPass {
    std::uint64_t blobs_checked = 0, bytes_checked = 0;
    std::vector<Digest> flagged;  // found corrupt by this pass
    bool completed = true;        // false when stop() cut it short
};

class Scrubber {
public:
    Scrubber(std::filesystem::path store, std::shared_ptr<store::CorruptBlobs> corrupt, ScrubOptions options,
             const JsonLog& log);
    ~Scrubber();
    Scrubber(const Scrubber&) = delete;
    Scrubber& operator=(const Scrubber&) = delete;

    // One pass over every blob, paced to max_bytes_per_second (unpaced when 0),
    // in the calling thread. Blobs flagged already are skipped.
    ScrubPass run_pass();

    // The background thread: passes as the options say; nothing when max_bytes_per_second is 0.
    void start();
    // Ends a pass in progress at its next chunk and the thread; idempotent.
    void stop();

    std::uint64_t passes_completed() const;
    std::uint64_t bytes_checked() const;

private:
    bool pace(std::size_t bytes);  // false once stopping
    void loop();

    std::filesystem::path store_;
    std::shared_ptr<store::CorruptBlobs> corrupt_;
    ScrubOptions options_;
    const JsonLog& log_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::chrono::steady_clock::time_point pass_start_;
    std::uint64_t pass_bytes_ = 0, passes_ = 0, total_bytes_ = 0;
    std::thread thread_;
};

}  // namespace sealift::mirror::daemon
