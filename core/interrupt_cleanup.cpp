#include "core/interrupt_cleanup.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <climits>
#include <csignal>
#include <cstring>

namespace sealift {
namespace {

// A slot is claimed (by one thread), then its path written, then published.
// The handler reads published slots only, and only async-signal-safe calls.
struct Slot {
    std::atomic<bool> claimed{false};
    std::atomic<bool> published{false};
    char path[PATH_MAX] = {};
};

std::array<Slot, 64> slots;
std::atomic<bool> installed{false};
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

extern "C" void remove_and_die(int sig) {
    for (auto& slot : slots)
        if (slot.published.load()) ::unlink(slot.path);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

}  // namespace

void install_interrupt_cleanup() {
    struct sigaction action {};
    action.sa_handler = remove_and_die;
    sigemptyset(&action.sa_mask);
    for (int sig : kSignals) sigaddset(&action.sa_mask, sig);  // one cleanup at a time
    for (int sig : kSignals) {
        struct sigaction before {};
        sigaction(sig, nullptr, &before);
        if (before.sa_handler != SIG_IGN)
            sigaction(sig, &action, nullptr);  // nohup and background jobs stay as they were
    }
    installed = true;
}

void remove_on_interrupt(const std::filesystem::path& path) {
    const std::string& text = path.native();
    if (!installed || text.size() >= PATH_MAX) return;
    for (auto& slot : slots) {
        bool expected = false;
        if (!slot.claimed.compare_exchange_strong(expected, true)) continue;
        std::memcpy(slot.path, text.c_str(), text.size() + 1);
        slot.published = true;
        return;
    }
}

void keep_on_interrupt(const std::filesystem::path& path) {
    if (!installed) return;
    for (auto& slot : slots) {
        if (!slot.published.load() || path.native() != slot.path) continue;
        slot.published = false;
        slot.claimed = false;
        return;
    }
}

}  // namespace sealift
