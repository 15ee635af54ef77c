#include "core/stream.hpp"

#include <algorithm>
#include <cstring>

namespace sealift {

std::uint64_t ByteSource::skip(std::uint64_t size) {
    char buf[16384];
    std::uint64_t done = 0;
    while (done < size) {
        std::size_t n = read(buf, static_cast<std::size_t>(std::min<std::uint64_t>(size - done, sizeof buf)));
        if (n == 0) break;
        done += n;
    }
    return done;
}

std::uint64_t FileRangeSource::skip(std::uint64_t size) {
    std::uint64_t n = std::min(size, remaining_);
    offset_ += n;
    remaining_ -= n;
    return n;
}

std::size_t FileRangeSource::read(void* buf, std::size_t size) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(size, remaining_));
    if (n == 0) return 0;
    file_->pread_exact(buf, n, offset_);
    offset_ += n;
    remaining_ -= n;
    return n;
}

std::size_t MemorySource::read(void* buf, std::size_t size) {
    std::size_t n = std::min(size, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
}

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
    auto file = std::make_shared<const File>(File::open_regular(path));
    std::uint64_t size = file->size();
    return std::make_unique<FileRangeSource>(std::move(file), 0, size);
}

}  // namespace sealift
