// A strict reader for the bundle's tar stream. It reports every entry with its
// real type so the verifier can refuse links, devices and the like by name,
// applies pax and GNU long names, and checks each header's checksum. It never
// touches the filesystem.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/stream.hpp"

namespace sealift::verify {

struct TarEntry {
    enum class Type { regular, directory, symlink, hardlink, device, fifo, other };
    std::string path;
    std::uint64_t size = 0;
    Type type = Type::regular;
    char typeflag = '0';
};

const char* tar_type_name(TarEntry::Type type);

class TarReader {
public:
    TarReader(ByteSource& in, std::string what) : in_(in), what_(std::move(what)) {}

    // The next entry, or nullopt at the end-of-archive marker. Unread data of the
    // previous entry is skipped.
    std::optional<TarEntry> next();
    // Reads the current entry's data; returns 0 at its end.
    std::size_t read(void* buf, std::size_t size);
    // After next() returned nullopt: checks nothing but zero padding follows.
    void expect_end();

private:
    void read_exact(void* buf, std::size_t size, const char* context);
    void skip(std::uint64_t n, const char* context);
    std::string read_text_member(std::uint64_t size, const char* kind);

    ByteSource& in_;
    std::string what_;
    std::string current_;
    std::uint64_t remaining_ = 0, padding_ = 0;
};

}  // namespace sealift::verify
