// Pull-style byte streams: blobs of any size flow through fixed buffers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/file.hpp"

namespace sealift {

class ByteSource {
public:
    virtual ~ByteSource() = default;
    // Reads up to `size` bytes; returns 0 only at the end of the stream.
    virtual std::size_t read(void* buf, std::size_t size) = 0;
    // Skips up to `size` bytes; returns how many were skipped (fewer only at the
    // end). Reads and discards unless the source can seek.
    virtual std::uint64_t skip(std::uint64_t size);
};

// A byte range of a shared open file, read with pread so several ranges of one
// file (entries of an uncompressed tar, say) can be read independently.
class FileRangeSource : public ByteSource {
public:
    FileRangeSource(std::shared_ptr<const File> file, std::uint64_t offset, std::uint64_t length)
        : file_(std::move(file)), offset_(offset), remaining_(length) {}
    std::size_t read(void* buf, std::size_t size) override;
    std::uint64_t skip(std::uint64_t size) override;

private:
    std::shared_ptr<const File> file_;
    std::uint64_t offset_;
    std::uint64_t remaining_;
};

class MemorySource : public ByteSource {
public:
    explicit MemorySource(std::string data) : data_(std::move(data)) {}
    std::size_t read(void* buf, std::size_t size) override;

private:
    std::string data_;
    std::size_t pos_ = 0;
};

// Opens a whole regular file (no symlinks) as a stream.
std::unique_ptr<ByteSource> open_file_source(const std::string& path);

}  // namespace sealift
