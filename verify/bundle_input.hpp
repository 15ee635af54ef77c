// The bytes of a bundle as one stream: a single file, or the numbered parts of
// a split bundle (given its first part, NAME.bundle.001) read one after the
// other. Every part is opened up front without following symlinks, and their
// sizes must fit the writer's rule (all parts equal but the last, which is no
// larger), so a missing, extra or truncated part is named before any byte is
// trusted; a swapped one fails the checks of the stream and position() names it.
// Reads are positional (pread), so the verifier's workers can read several
// entries of the stream at once.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <vector>

#include "core/file.hpp"

namespace sealift::verify {

class BundleInput {
public:
    explicit BundleInput(const std::filesystem::path& path);
    BundleInput(const BundleInput&) = delete;
    BundleInput& operator=(const BundleInput&) = delete;

    // Exactly `size` bytes at `offset` of the whole stream, across parts; thread-safe.
    void pread_exact(void* buf, std::size_t size, std::uint64_t offset) const;
    const std::string& name() const { return name_; }  // the file, or "NAME.bundle.001..003"
    std::uint64_t size() const { return total_; }
    bool split() const { return split_; }
    std::size_t parts() const { return parts_.size(); }
    // The stream's reader notes where it stands (the compressed byte it got to),
    // so an error in a split bundle can name the part: position() says which.
    void note_position(std::uint64_t offset) const { reached_ = offset; }
    std::string position() const;

private:
    std::size_t part_of(std::uint64_t offset) const;  // index of the part holding `offset`

    std::vector<File> parts_;
    std::vector<std::uint64_t> sizes_;
    std::string name_;
    bool split_ = false;
    std::uint64_t total_ = 0;
    std::vector<std::uint64_t> starts_;  // offset of each part in the stream
    mutable std::atomic<std::uint64_t> reached_{0};
};

}  // namespace sealift::verify
