// Decompresses the bundle's zstd stream from one byte source (a file, or the parts of a split bundle), with the window
// capped so a hostile frame cannot make the reader allocate without bound, and
// telling a truncated stream apart from a clean end.
#pragma once

#include <memory>
#include <string>

#include "core/stream.hpp"

namespace sealift::verify {

inline constexpr int kMaxWindowLog = 24;  // 16 MiB: zstd -19 needs 2^23

class ZstdReader : public ByteSource {
public:
    ZstdReader(ByteSource& in, std::string name);
    ~ZstdReader() override;
    std::size_t read(void* buf, std::size_t size) override;
    std::uint64_t compressed_bytes() const { return compressed_; }

private:
    struct State;
    std::unique_ptr<State> state_;
    ByteSource& in_;
    std::string name_;
    std::uint64_t compressed_ = 0;
};

}  // namespace sealift::verify
