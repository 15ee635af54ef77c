#include "mirror/daemon/scrubber.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "mirror/store/blob_store.hpp"
#include "mirror/store/corrupt_blobs.hpp"

namespace sealift::mirror::daemon {
namespace fs = std::filesystem;

Scrubber::Scrubber(fs::path store, std::shared_ptr<store::CorruptBlobs> corrupt, ScrubOptions options,
                   const JsonLog& log)
    : store_(std::move(store)), corrupt_(std::move(corrupt)), options_(options), log_(log) {}

Scrubber::~Scrubber() { stop(); }

bool Scrubber::pace(std::size_t bytes) {
    std::unique_lock lock(mutex_);
    pass_bytes_ += bytes;
    total_bytes_ += bytes;
    if (options_.max_bytes_per_second > 0) {
        // Where the pass may be by now at the rate; sleep off any lead (woken by stop()).
        auto due =
            pass_start_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(
                              static_cast<double>(pass_bytes_) / static_cast<double>(options_.max_bytes_per_second)));
        wake_.wait_until(lock, due, [&] { return stopping_; });
    }
    return !stopping_;
}

ScrubPass Scrubber::run_pass() {
    store::BlobStore blobs(store_);
    {
        std::lock_guard lock(mutex_);
        pass_start_ = std::chrono::steady_clock::now();
        pass_bytes_ = 0;
    }
    std::vector<Digest> names;
    std::error_code ec;
    for (fs::directory_iterator it(blobs.dir(), ec), end; !ec && it != end; it.increment(ec)) {
        std::string name = it->path().filename().string();
        if (Digest::valid("sha256:" + name)) names.push_back(Digest::from_hex(name));
    }
    if (ec) fail(Errc::io, blobs.dir().string() + ": cannot list the store's blobs: " + ec.message());
    std::sort(names.begin(), names.end());

    ScrubPass pass;
    for (const auto& d : names) {
        if (store::flagged_corrupt(blobs.path_of(d))) continue;
        auto check = store::check_blob(blobs, d, [this](std::size_t n) { return pace(n); });
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                pass.completed = false;
                return pass;
            }
        }
        if (!check) continue;  // removed meanwhile (gc)
        ++pass.blobs_checked;
        pass.bytes_checked += check->size;
        // Flagged only if it is still the file read: an import may have replaced it with a good copy meanwhile.
        if (check->ok() || !store::still_same_file(blobs, *check)) continue;
        if (corrupt_->flag(d, "scrub",
                           "blob " + d.str() + " hashes to " + check->actual.str() + " (" +
                               std::to_string(check->size) + " bytes)",
                           Json{{"actualDigest", check->actual.str()}, {"size", check->size}}))
            pass.flagged.push_back(d);
        log_.write(LogLevel::error, "corrupt_blob",
                   {{"digest", d.str()}, {"actual", check->actual.str()}, {"path", blobs.path_of(d).string()}});
    }
    std::lock_guard lock(mutex_);
    ++passes_;
    return pass;
}

void Scrubber::start() {
    if (options_.max_bytes_per_second == 0 || thread_.joinable()) return;
    thread_ = std::thread([this] { loop(); });
}

void Scrubber::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void Scrubber::loop() {
    auto next = std::chrono::steady_clock::now() + options_.first_pass_delay;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            if (wake_.wait_until(lock, next, [&] { return stopping_; })) return;
        }
        auto started = std::chrono::steady_clock::now();
        next = started + options_.interval;
        try {
            auto pass = run_pass();
            if (!pass.completed) return;
            log_.write(
                LogLevel::info, "scrub_pass",
                {{"blobs", pass.blobs_checked},
                 {"bytes", pass.bytes_checked},
                 {"flagged", pass.flagged.size()},
                 {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()}});
        } catch (const std::exception& e) {
            log_.write(LogLevel::error, "scrub_failed", {{"error", e.what()}});  // tried again at the next pass
        }
    }
}

std::uint64_t Scrubber::passes_completed() const {
    std::lock_guard lock(mutex_);
    return passes_;
}

std::uint64_t Scrubber::bytes_checked() const {
    std::lock_guard lock(mutex_);
    return total_bytes_;
}

}  // namespace sealift::mirror::daemon
