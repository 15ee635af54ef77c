// A strict streaming reader for tar (POSIX ustar, pax 'x' records, GNU long
// names), the one tar parser of Sealift: the verifier reads bundles with it and
// the builder indexes input archives with it. It reports each entry with its
// real type, so callers refuse links and devices by name, checks every header's
// checksum, and never touches the filesystem.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/stream.hpp"

namespace sealift {

struct TarEntry {
    enum class Type { regular, directory, symlink, hardlink, device, fifo, other };
    std::string path;                                  // as written (pax path, GNU long name, or ustar prefix/name)
    std::string link_target;                           // symlinks and hard links
    std::uint64_t size = 0;                            // bytes of data that follow (0 for links, folders, devices)
    std::uint64_t header_offset = 0, data_offset = 0;  // positions in the tar stream
    Type type = Type::regular;
    char typeflag = '0';
};

const char* tar_type_name(TarEntry::Type type);

class TarReader {
public:
    struct Options {
        // Global pax headers ('g') set defaults for every later entry; a verifier must not
        // let them change what an entry is, so by default they are refused.
        bool allow_global_headers = false;
    };

    TarReader(ByteSource& in, std::string what) : TarReader(in, std::move(what), Options{}) {}
    TarReader(ByteSource& in, std::string what, Options options) : in_(in), what_(std::move(what)), options_(options) {}

    // The next entry, or nullopt at the end-of-archive marker (or at the clean end of
    // the stream when `end_of_stream_is_end`). Unread data of the previous entry is skipped.
    std::optional<TarEntry> next();
    // Reads the current entry's data; returns 0 at its end.
    std::size_t read(void* buf, std::size_t size);
    // Offers the rest of the current entry's data to `take`, which either consumes
    // exactly that many bytes of the underlying stream itself (say, by noting where
    // they lie in a file) and returns true, or consumes nothing and returns false.
    bool take_data(const std::function<bool(std::uint64_t size)>& take);
    // After next() returned nullopt: checks nothing follows but zeros up to the end of
    // the 10240-byte tar record the archive ends in, reading no further than that.
    void expect_end();

private:
    void read_exact(void* buf, std::size_t size, const std::string& context);
    void skip(std::uint64_t n, const std::string& context);
    std::string read_text_member(std::uint64_t size, const std::string& kind);
    std::string header_at() const;

    ByteSource& in_;
    std::string what_;
    Options options_;
    std::string current_;
    std::uint64_t position_ = 0, header_offset_ = 0;
    std::uint64_t remaining_ = 0, padding_ = 0;
};

}  // namespace sealift
