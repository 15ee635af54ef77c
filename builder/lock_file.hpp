// The lock file `sealift build --lock FILE` writes: the digest every registry
// image's reference resolved to. Building with it (--from-lock FILE, or the
// release's `lock:` key) pulls exactly those digests however the tags moved
// since, so a rebuild with the same inputs is byte-identical.
//
// Canonical JSON (docs/release-guide.md): {"images":[{"digest","ref"}...],
// "lockVersion":1}, images sorted by ref, keys sorted, one trailing newline.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"

namespace sealift::builder {

struct LockedImage {
    std::string ref;  // the release's reference, normalised (registry/repository:tag[@digest])
    Digest digest;    // what it resolved to in the registry
};

struct LockFile {
    std::vector<LockedImage> images;  // sorted by ref, each once

    std::string text() const;
    // Strict: unknown keys, duplicates, bad digests and unsorted entries are
    // errors naming `what` and the entry.
    static LockFile parse(std::string_view text, const std::string& what);
    static LockFile load(const std::filesystem::path& file);
    const LockedImage* find(const std::string& ref) const;
};

}  // namespace sealift::builder
