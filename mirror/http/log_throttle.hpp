// Lets a log line that a hostile or broken peer can repeat at will (accept
// failing for want of file descriptors, plain HTTP on a TLS port) through at
// most once per interval, and says how many it held back meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace sealift::mirror::http {

class LogThrottle {
public:
    explicit LogThrottle(std::chrono::steady_clock::duration interval) : interval_(interval) {}

    // Thread-safe. Whether to log now; when it is, `suffix` is "" or " (N more since the
    // last report)" to append to the line.
    bool allow(std::string& suffix) {
        auto now = std::chrono::steady_clock::now();
        std::lock_guard lock(mutex_);
        if (logged_ && now - last_ < interval_) {
            ++held_back_;
            return false;
        }
        suffix = held_back_ ? " (" + std::to_string(held_back_) + " more since the last report)" : "";
        logged_ = true;
        last_ = now;
        held_back_ = 0;
        return true;
    }

private:
    std::chrono::steady_clock::duration interval_;
    std::mutex mutex_;
    bool logged_ = false;
    std::chrono::steady_clock::time_point last_;
    std::uint64_t held_back_ = 0;
};

}  // namespace sealift::mirror::http
