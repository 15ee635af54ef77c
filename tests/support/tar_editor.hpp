// Rewrites a bundle's tar stream to make tampered bundles for the verifier's
// tests: decompress, edit entries, recompress with the stock zstd tool.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sealift::test {

class TarEditor {
public:
    struct Entry {
        std::string header;  // 512 bytes (pax/GNU entries are not produced by sealift)
        std::string data;
        std::string name() const;
    };

    static TarEditor load(const std::filesystem::path& bundle);  // zstd -d
    // zstd; `trailing_zeros` more zero bytes after the end-of-archive marker.
    void save(const std::filesystem::path& bundle, std::uint64_t trailing_zeros = 0) const;
    std::string archive() const;  // the tar stream, through the end-of-archive marker

    std::size_t index_of(const std::string& name) const;
    Entry& at(const std::string& name) { return entries[index_of(name)]; }

    static Entry make(const std::string& name, const std::string& data, char type = '0', const std::string& link = "");
    void set_name(const std::string& name, const std::string& new_name);
    void set_declared_size(const std::string& name, std::uint64_t size);  // header only
    void set_data(const std::string& name, std::string data);             // data and header
    static void fix_checksum(std::string& header);

    std::vector<Entry> entries;
};

}  // namespace sealift::test
