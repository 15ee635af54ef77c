#include "builder/bundle_writer.hpp"

#include "builder/tar_header.hpp"
#include "builder/zstd_frames.hpp"
#include "core/error.hpp"

namespace sealift::builder {

void BundleWriter::add_inline(std::string path, std::string content) {
    std::uint64_t size = content.size();
    entries_.push_back({std::move(path), size, std::move(content), {}, {}, true, {}});
}

void BundleWriter::add_stream(std::string path, std::uint64_t size, Digest digest, Opener open, bool compressible,
                              std::string origin) {
    entries_.push_back(
        {std::move(path), size, {}, std::move(digest), std::move(open), compressible, std::move(origin)});
}

std::uint64_t BundleWriter::payload_bytes() const {
    std::uint64_t total = 0;
    for (const auto& e : entries_) total += e.size;
    return total;
}

namespace {

// The tar stream cut into runs that are compressed or stored alike; each run
// becomes one zstd frame whose size is known before it starts.
struct Part {
    const std::string* bytes = nullptr;  // inline content
    std::size_t zeros = 0;               // padding
    std::size_t entry = SIZE_MAX;        // a streamed entry's data, or the entry whose header this is
    std::uint64_t size = 0;
    bool header = false;  // made again when written: held for every entry, headers grow with the release
};
struct Run {
    bool compress;
    std::uint64_t size = 0;
    std::vector<Part> parts;
};

}  // namespace

void BundleWriter::write(File& out, const Options& options) const {
    std::vector<Run> runs;
    auto add_part = [&](bool compress, Part part) {
        if (part.size == 0) return;
        if (runs.empty() || runs.back().compress != compress) runs.push_back({compress});
        runs.back().size += part.size;
        runs.back().parts.push_back(part);
    };
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const auto& e = entries_[i];
        add_part(true, {nullptr, 0, i, tar_entry_header(e.path, e.size, options.mtime).size(), true});
        if (e.open)
            add_part(e.compressible, {nullptr, 0, i, e.size});
        else
            add_part(true, {&e.content, 0, i, e.size});
        add_part(true, {nullptr, tar_padding(e.size), SIZE_MAX, tar_padding(e.size)});
    }
    add_part(true, {nullptr, kTarTrailer, SIZE_MAX, kTarTrailer});

    FrameWriter frames(out, options.level, options.workers);
    static const std::string zeros(kTarTrailer, '\0');
    std::vector<char> buf(1u << 20);
    for (const auto& run : runs) {
        frames.begin(run.size, run.compress);
        for (const auto& part : run.parts) {
            if (part.header) {
                const Entry& e = entries_[part.entry];
                std::string header = tar_entry_header(e.path, e.size, options.mtime);
                if (header.size() != part.size) fail(Errc::internal, e.path + ": its tar header changed size");
                frames.write(header.data(), header.size());
            } else if (part.bytes) {
                frames.write(part.bytes->data(), part.bytes->size());
                if (options.progress && part.entry != SIZE_MAX) {
                    options.progress->add_bytes(part.size);
                    options.progress->item_done();
                }
            } else if (part.zeros) {
                frames.write(zeros.data(), part.zeros);
            } else {
                const Entry& e = entries_[part.entry];
                auto source = e.open();
                Sha256 hash;
                std::uint64_t done = 0;
                for (;;) {
                    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), e.size - done + 1));
                    std::size_t n = want ? source->read(buf.data(), want) : 0;
                    if (n == 0) break;
                    if (done + n > e.size)
                        fail(Errc::integrity, e.origin + ": blob " + e.digest.str() + " is larger than its declared " +
                                                  std::to_string(e.size) + " bytes");
                    hash.update(buf.data(), n);
                    frames.write(buf.data(), n);
                    done += n;
                    if (options.progress) options.progress->add_bytes(n);
                }
                if (done != e.size)
                    fail(Errc::integrity, e.origin + ": blob " + e.digest.str() + " has " + std::to_string(done) +
                                              " bytes, its descriptor declares " + std::to_string(e.size));
                if (auto actual = hash.finish(); actual != e.digest)
                    fail(Errc::integrity, e.origin + ": blob " + e.digest.str() +
                                              " does not match its digest (content hashes to " + actual.str() + ")");
                if (options.progress) options.progress->item_done();
            }
        }
        frames.end();
    }
    frames.flush();
}

}  // namespace sealift::builder
