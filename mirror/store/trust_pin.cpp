#include "mirror/store/trust_pin.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

namespace sealift::mirror::store {

bool has_pinned_root(const StorePaths& paths) {
    std::error_code ec;
    return std::filesystem::exists(paths.pinned_root(), ec);
}

trust::TrustRoot root_to_use(const StorePaths& paths, const trust::TrustRoot* given) {
    if (!has_pinned_root(paths)) {
        if (!given)
            fail(Errc::usage,
                 paths.root.string() + ": the store has no pinned trust root yet; pass --trust trust.json");
        return *given;
    }
    auto pinned = trust::TrustRoot::load(paths.pinned_root());
    if (given) {
        if (given->version() > pinned.version())
            fail(Errc::policy, "trust root version " + std::to_string(given->version()) +
                                   " is newer than the store's pinned version " + std::to_string(pinned.version()) +
                                   " (" + paths.pinned_root().string() +
                                   "): the pin moves only through a bundle carrying the new root");
        if (given->version() == pinned.version() && given->signed_bytes() != pinned.signed_bytes())
            fail(Errc::policy, "trust root version " + std::to_string(given->version()) +
                                   " differs from the store's pinned root of the same version (" +
                                   paths.pinned_root().string() + ")");
    }
    return pinned;
}

std::optional<trust::TrustRoot> newest_carried_root(const trust::TrustRoot& pinned,
                                                    const std::vector<std::string>& carried) {
    std::optional<trust::TrustRoot> newest;
    const trust::TrustRoot* at = &pinned;
    for (const auto& text : carried) {
        auto next = trust::TrustRoot::parse(text, "carried root");
        if (next.version() <= at->version()) continue;
        newest = at->verify_successor(text, "carried root version " + std::to_string(next.version()));
        at = &*newest;
    }
    return newest;
}

void pin_root(const StorePaths& paths, const trust::TrustRoot& root) {
    write_file_atomically(paths.pinned_root(), root.text());
}

}  // namespace sealift::mirror::store
