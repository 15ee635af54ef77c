// Random access to the entries of an uncompressed tar file without extracting
// it: one pass of core's TarReader over the headers (seeking past the data)
// records where each entry's data starts; entries are then read in place with pread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "core/file.hpp"
#include "core/stream.hpp"
#include "core/tar_reader.hpp"

namespace sealift::builder {

// Entries are sealift::TarEntry with `path` normalised: no leading "./" or "/",
// no "." components, no trailing "/".
class TarIndex {
public:
    // Indexes `path`. Refuses compressed files (asking to decompress first),
    // bad header checksums, entries whose path has "..", duplicate paths and
    // data running past the end of the file, naming the archive and entry.
    static TarIndex open(const std::filesystem::path& path);

    const std::string& describe() const { return name_; }
    const TarEntry* find(std::string_view path) const;  // normalises `path` first
    // The regular file at `path`, following symlinks written inside the archive
    // (as `docker save` links shared layers) only when `follow_symlinks`; fails
    // naming the archive when it is missing or not a regular file.
    const TarEntry& regular(std::string_view path, bool follow_symlinks = false) const;
    std::unique_ptr<ByteSource> open_entry(const TarEntry& entry) const;
    std::string read_small(const TarEntry& entry, std::size_t max_bytes) const;
    const std::map<std::string, TarEntry, std::less<>>& entries() const { return entries_; }

private:
    std::string name_;
    std::shared_ptr<const File> file_;
    std::map<std::string, TarEntry, std::less<>> entries_;
};

// The path as tar entries are indexed ("./a//b/" -> "a/b", "/a" -> "a"); fails
// naming `what` when it has a ".." component.
std::string normalise_tar_path(std::string_view path, const std::string& what);

}  // namespace sealift::builder
