// Writes the bundle's zstd stream as a sequence of frames, which stock `zstd -d`
// and `tar --zstd` read as one stream. Compressible runs (tar headers, JSON,
// uncompressed layers) go through zstd's multi-threaded engine with a pinned
// level and a pledged size: its output is the same for any worker count.
// Runs that are already compressed (gzip/zstd layers) are stored in raw blocks:
// compressing them again costs CPU and gains nothing (docs/bundle-format.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "core/file.hpp"

namespace sealift::builder {

class FrameWriter {
public:
    FrameWriter(File& out, int level, unsigned workers);
    ~FrameWriter();

    // Starts a frame of exactly `size` bytes; `compress` picks a compressed or stored frame.
    void begin(std::uint64_t size, bool compress);
    void write(const void* data, std::size_t size);
    void end();
    void flush();  // writes buffered output to the file; call once after the last frame

    std::uint64_t bytes_out() const { return bytes_out_; }

private:
    void put(const void* data, std::size_t size);
    void write_raw(const char* data, std::size_t size);

    File& out_;
    struct Zstd;
    std::unique_ptr<Zstd> zstd_;
    bool compress_ = false;
    std::uint64_t remaining_ = 0;
    std::uint64_t block_left_ = 0;  // stored frames: bytes still due in the current raw block
    std::uint64_t bytes_out_ = 0;
};

}  // namespace sealift::builder
