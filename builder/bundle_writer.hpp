// Lays entries out as one deterministic tar stream and writes it as zstd
// frames. Streamed entries are read once, through a fixed buffer, hashed while
// read; a digest or size mismatch stops the write naming the entry.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/digest.hpp"
#include "core/file.hpp"
#include "core/progress.hpp"
#include "core/stream.hpp"

namespace sealift::builder {

class BundleWriter {
public:
    using Opener = std::function<std::unique_ptr<ByteSource>()>;

    // Entries are written in the order they are added.
    void add_inline(std::string path, std::string content);
    void add_stream(std::string path, std::uint64_t size, Digest digest, Opener open, bool compressible,
                    std::string origin);

    std::uint64_t entry_count() const { return entries_.size(); }
    std::uint64_t payload_bytes() const;

    struct Options {
        int level = 3;
        unsigned workers = 1;
        std::int64_t mtime = 0;
        Progress* progress = nullptr;
    };
    void write(File& out, const Options& options) const;

private:
    struct Entry {
        std::string path;
        std::uint64_t size;
        std::string content;  // inline entries
        Digest digest;        // streamed entries
        Opener open;          // empty for inline entries
        bool compressible;
        std::string origin;  // where a streamed entry comes from, for messages
    };
    std::vector<Entry> entries_;
};

}  // namespace sealift::builder
