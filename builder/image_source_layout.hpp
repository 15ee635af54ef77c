// Private to the image sources: an OCI layout is read the same way whether
// its files sit in a folder or in a tar, so the layout logic works on this
// small file-access interface and each storage kind implements it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "builder/image_source.hpp"
#include "builder/tar_index.hpp"

namespace sealift::builder {

class LayoutFiles {
public:
    virtual ~LayoutFiles() = default;
    virtual std::string describe() const = 0;  // "OCI layout corpus/images"
    // The whole file, or nullopt when it does not exist; fails above max_bytes.
    virtual std::optional<std::string> read_small(const std::string& path, std::size_t max_bytes) const = 0;
    // The file and its size, or nullptr when it does not exist; fails when it
    // exists but is a symlink or anything else than a regular file.
    virtual std::unique_ptr<ByteSource> open(const std::string& path, std::uint64_t& size) const = 0;
};

std::unique_ptr<ImageSource> make_layout_source(std::unique_ptr<LayoutFiles> files,
                                                const std::optional<std::string>& default_repository);

// The layout stored as entries of an indexed tar.
std::unique_ptr<LayoutFiles> tar_layout_files(std::shared_ptr<const TarIndex> tar, std::string describe);

std::unique_ptr<ImageSource> make_docker_archive_source(std::shared_ptr<const TarIndex> tar,
                                                        const std::optional<std::string>& default_repository);

// Adds `image` to the sorted list, refusing one reference naming two manifests.
void add_source_image(std::vector<SourceImage>& images, SourceImage image, const std::string& describe);

// The error for a blob a source does not hold, or holds with another size.
[[noreturn]] void fail_missing_blob(const std::string& describe, const SourceBlob& blob);
void check_blob_size(const std::string& describe, const SourceBlob& blob, std::uint64_t stored_size);

}  // namespace sealift::builder
