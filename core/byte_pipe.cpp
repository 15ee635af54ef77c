#include "core/byte_pipe.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"

namespace sealift {

void BytePipe::write(const char* data, std::size_t size) {
    std::unique_lock lock(mu_);
    while (size > 0) {
        cv_.wait(lock, [&] { return aborted_ || used_ < buf_.size(); });
        if (aborted_) return;
        std::size_t tail = (head_ + used_) % buf_.size();
        std::size_t take = std::min({size, buf_.size() - used_, buf_.size() - tail});
        std::memcpy(buf_.data() + tail, data, take);
        used_ += take;
        data += take;
        size -= take;
        cv_.notify_all();
    }
}

void BytePipe::close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    cv_.notify_all();
}

void BytePipe::abort(const std::string& why) {
    std::lock_guard lock(mu_);
    if (!aborted_) why_ = why;
    aborted_ = true;
    cv_.notify_all();
}

std::size_t BytePipe::read(void* out, std::size_t size) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return aborted_ || used_ > 0 || closed_; });
    if (aborted_) fail(Errc::internal, "upload stopped: " + why_);
    if (used_ == 0) return 0;
    std::size_t take = std::min({size, used_, buf_.size() - head_});
    std::memcpy(out, buf_.data() + head_, take);
    head_ = (head_ + take) % buf_.size();
    used_ -= take;
    cv_.notify_all();
    return take;
}

}  // namespace sealift
