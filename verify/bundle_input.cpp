#include "verify/bundle_input.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "manifests/bundle_manifest.hpp"

namespace sealift::verify {
namespace {

namespace fs = std::filesystem;

bool exists_no_follow(const fs::path& p) {
    std::error_code ec;
    return fs::symlink_status(p, ec).type() != fs::file_type::not_found;
}

// "platform-1.0.1-hotfix.bundle.001" -> part 1 of "platform-1.0.1-hotfix.bundle"; 0 when not a part name.
unsigned part_number(const fs::path& path, fs::path& whole) {
    std::string name = path.filename().string();
    auto dot = name.rfind('.');
    if (dot == std::string::npos || name.size() - dot != 4) return 0;
    unsigned n = 0;
    for (char c : name.substr(dot + 1)) {
        if (c < '0' || c > '9') return 0;
        n = n * 10 + static_cast<unsigned>(c - '0');
    }
    whole = path.parent_path() / name.substr(0, dot);
    return n;
}

}  // namespace

BundleInput::BundleInput(const fs::path& path) : name_(path.string()) {
    fs::path whole;
    unsigned number = part_number(path, whole);
    if (number == 0 && !exists_no_follow(path) && exists_no_follow(path.string() + ".001"))
        fail(Errc::io,
             path.string() + ": not found, but " + path.string() + ".001 is: give the first part of a split bundle");
    if (number > 1)
        fail(Errc::usage, path.string() + ": is part " + std::to_string(number) +
                              " of a split bundle; give the first part, " +
                              manifests::split_part_name(whole.string(), 1));
    parts_.push_back(File::open_regular(path));
    sizes_.push_back(parts_.back().size());
    if (number != 1) {
        total_ = sizes_[0];
        starts_ = {0};
        return;
    }
    split_ = true;
    for (unsigned n = 2;; ++n) {
        fs::path next = manifests::split_part_name(whole.string(), n);
        if (!exists_no_follow(next)) {
            fs::path after = manifests::split_part_name(whole.string(), n + 1);
            if (exists_no_follow(after))
                fail(Errc::format, next.string() + ": part is missing (" + after.string() + " exists)");
            break;
        }
        if (n > manifests::kMaxSplitParts)
            fail(Errc::format, next.string() + ": more than " + std::to_string(manifests::kMaxSplitParts) + " parts");
        parts_.push_back(File::open_regular(next));
        sizes_.push_back(parts_.back().size());
    }
    // The writer cuts every part but the last at the same size.
    const std::uint64_t full = sizes_[0];
    for (std::size_t i = 0; i < parts_.size(); ++i) {
        const bool last = i + 1 == parts_.size();
        if (sizes_[i] == 0) fail(Errc::format, parts_[i].path() + ": part is empty");
        if (!last && sizes_[i] != full)
            fail(Errc::format,
                 parts_[i].path() + ": part is " + std::to_string(sizes_[i]) + " bytes, the first part " +
                     std::to_string(full) +
                     ": every part but the last has the same size (truncated, from another bundle, or is " +
                     parts_.back().path() + " an extra part?)");
        if (last && sizes_[i] > full)
            fail(Errc::format, parts_[i].path() + ": the last part is larger than the first (" +
                                   std::to_string(sizes_[i]) + " > " + std::to_string(full) +
                                   " bytes): parts swapped or from another bundle");
        starts_.push_back(total_);
        total_ += sizes_[i];
    }
    name_ =
        parts_.front().path() + ".." + manifests::split_part_name("", static_cast<unsigned>(parts_.size())).substr(1);
}

std::size_t BundleInput::part_of(std::uint64_t offset) const {
    auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
    return static_cast<std::size_t>(it - starts_.begin()) - 1;
}

void BundleInput::pread_exact(void* buf, std::size_t size, std::uint64_t offset) const {
    auto* out = static_cast<char*>(buf);
    const std::uint64_t end = offset + size;
    if (end > total_)
        fail(Errc::format, name_ + ": read past the end of the bundle (byte " + std::to_string(end) + " of " +
                               std::to_string(total_) + ")");
    while (size > 0) {
        std::size_t part = part_of(offset);
        std::uint64_t within = offset - starts_[part];
        auto n = static_cast<std::size_t>(std::min<std::uint64_t>(size, sizes_[part] - within));
        // A part that shrank since it was opened fails here, naming it.
        parts_[part].pread_exact(out, n, within);
        out += n;
        offset += n;
        size -= n;
    }
}

std::string BundleInput::position() const {
    if (!split()) return {};
    const std::uint64_t reached = reached_.load();
    std::size_t part = reached == 0 ? 0 : part_of(reached - 1);
    const std::uint64_t within = reached - starts_[part];
    std::string where = parts_[part].path() + " (part " + std::to_string(part + 1) + " of " +
                        std::to_string(parts_.size()) + ", byte " + std::to_string(within) + ")";
    if (part + 1 == parts_.size() && within == sizes_[part])
        where += ", the end of the last part found: a later part may be missing";
    return where;
}

}  // namespace sealift::verify
