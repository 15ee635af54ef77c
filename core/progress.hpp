// Progress of a long job on stderr: one redrawn line on a terminal, a plain
// line every few seconds otherwise, nothing when quiet. Thread-safe: the
// verifier's workers report the entries they hash.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace sealift {

class Progress {
public:
    enum class Mode { automatic, quiet };
    Progress(std::string label, std::uint64_t total_bytes, std::uint64_t total_items, Mode mode);
    ~Progress();

    void add_bytes(std::uint64_t n);
    void item_done();
    void finish();  // prints the final line (bytes, items, rate)

private:
    void draw(bool final);

    std::string label_;
    std::uint64_t total_bytes_, total_items_, bytes_ = 0, items_ = 0;
    bool enabled_, terminal_, finished_ = false;
    std::chrono::steady_clock::time_point start_, last_draw_;
    std::mutex mu_;
};

std::string human_bytes(std::uint64_t bytes);

}  // namespace sealift
