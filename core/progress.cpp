#include "core/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace sealift {

std::string human_bytes(std::uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    int u = 0;
    while (v >= 1024 && u < 4) v /= 1024, ++u;
    char buf[32];
    std::snprintf(buf, sizeof buf, u ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

Progress::Progress(std::string label, std::uint64_t total_bytes, std::uint64_t total_items, Mode mode)
    : label_(std::move(label)),
      total_bytes_(total_bytes),
      total_items_(total_items),
      enabled_(mode != Mode::quiet),
      terminal_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
    if (terminal_ && enabled_ && !finished_) std::fputc('\n', stderr);
}

void Progress::add_bytes(std::uint64_t n) {
    std::lock_guard lock(mu_);
    bytes_ += n;
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    auto interval = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(5000);
    if (now - last_draw_ >= interval) {
        last_draw_ = now;
        draw(false);
    }
}

void Progress::item_done() {
    std::lock_guard lock(mu_);
    ++items_;
}

void Progress::finish() {
    std::lock_guard lock(mu_);
    if (finished_) return;
    finished_ = true;
    if (enabled_) draw(true);
}

void Progress::draw(bool final) {
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    double rate = secs > 0 ? static_cast<double>(bytes_) / secs : 0;
    int pct =
        total_bytes_ ? static_cast<int>(100.0 * static_cast<double>(bytes_) / static_cast<double>(total_bytes_)) : 100;
    std::fprintf(stderr, "%s%s: %3d%%  %s / %s  %llu/%llu items  %s/s%s", terminal_ ? "\r\033[K" : "", label_.c_str(),
                 pct, human_bytes(bytes_).c_str(), human_bytes(total_bytes_).c_str(),
                 static_cast<unsigned long long>(items_), static_cast<unsigned long long>(total_items_),
                 human_bytes(static_cast<std::uint64_t>(rate)).c_str(), (final || !terminal_) ? "\n" : "");
    std::fflush(stderr);
}

}  // namespace sealift
