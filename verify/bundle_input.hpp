// The bytes of a bundle as one stream: a single file, or the numbered parts of
// a split bundle (given its first part, NAME.bundle.001) read one after the
// other. Every part is opened up front without following symlinks, and their
// sizes must fit the writer's rule (all parts equal but the last, which is no
// larger), so a missing, extra or truncated part is named before any byte is
// trusted; a swapped one fails the checks of the stream and position() names it.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/file.hpp"
#include "core/stream.hpp"

namespace sealift::verify {

class BundleInput : public ByteSource {
public:
    explicit BundleInput(const std::filesystem::path& path);

    std::size_t read(void* buf, std::size_t size) override;
    const std::string& name() const { return name_; }  // the file, or "NAME.bundle.001..003"
    std::uint64_t size() const { return total_; }
    bool split() const { return split_; }
    std::size_t parts() const { return parts_.size(); }
    // For errors in a split bundle: which part the stream had reached, and where.
    std::string position() const;

private:
    std::vector<File> parts_;
    std::vector<std::uint64_t> sizes_;
    std::string name_;
    bool split_ = false;
    std::uint64_t total_ = 0;
    std::size_t current_ = 0;
    std::uint64_t offset_ = 0;  // within the current part
};

}  // namespace sealift::verify
