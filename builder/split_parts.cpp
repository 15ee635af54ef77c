#include "builder/split_parts.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "core/error.hpp"
#include "manifests/bundle_manifest.hpp"

namespace sealift::builder {
namespace {

namespace fs = std::filesystem;

// Copies [offset, offset + length) of `from` to the start of `to`.
void copy_range(const File& from, std::uint64_t offset, std::uint64_t length, File& to) {
    loff_t in = static_cast<loff_t>(offset);
    while (length > 0) {
        ssize_t n = ::copy_file_range(from.fd(), &in, to.fd(), nullptr, length, 0);
        if (n > 0) {
            length -= static_cast<std::uint64_t>(n);
            continue;
        }
        if (n == 0) fail(Errc::io, from.path() + ": ended early while writing " + to.path());
        if (errno == EINTR) continue;
        if (errno != EXDEV && errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
            fail(Errc::io, to.path() + ": write failed: " + std::strerror(errno));
        // A file system without in-kernel copies: through a fixed buffer instead.
        std::vector<char> buf(1u << 20);
        while (length > 0) {
            std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(length, buf.size()));
            from.pread_exact(buf.data(), chunk, static_cast<std::uint64_t>(in));
            to.write_all(buf.data(), chunk);
            in += static_cast<loff_t>(chunk);
            length -= chunk;
        }
    }
}

}  // namespace

std::vector<fs::path> write_split_parts(AtomicFile& whole, const fs::path& bundle_path, std::uint64_t limit) {
    const std::uint64_t per_part = limit - 1;
    const File reader = File::open_regular(whole.temp_path());
    const std::uint64_t total = reader.size();
    const std::uint64_t count = std::max<std::uint64_t>(1, (total + per_part - 1) / per_part);
    if (count > manifests::kMaxSplitParts)
        fail(Errc::usage, "--split-size " + std::to_string(limit) + ": the bundle (" + std::to_string(total) +
                              " bytes) would need " + std::to_string(count) + " parts, more than " +
                              std::to_string(manifests::kMaxSplitParts));
    std::vector<fs::path> paths;
    for (unsigned n = 1; n <= count; ++n) paths.emplace_back(manifests::split_part_name(bundle_path.string(), n));

    std::vector<std::unique_ptr<AtomicFile>> tail;  // parts 2..count, committed together below
    for (std::uint64_t i = count - 1; i >= 1; --i) {
        const std::uint64_t offset = i * per_part;
        auto part = std::make_unique<AtomicFile>(paths[i]);
        copy_range(reader, offset, std::min(per_part, total - offset), part->file());
        if (::ftruncate(whole.file().fd(), static_cast<off_t>(offset)) != 0)
            fail(Errc::io, whole.temp_path().string() + ": truncate failed: " + std::strerror(errno));
        tail.push_back(std::move(part));
    }
    for (auto& part : tail) part->commit(false);
    whole.commit(false);
    // A part left from an earlier, longer build of the same bundle would read as an extra part.
    for (unsigned n = static_cast<unsigned>(count) + 1; n <= manifests::kMaxSplitParts; ++n) {
        fs::path stale = manifests::split_part_name(bundle_path.string(), n);
        std::error_code ec;
        if (!fs::remove(stale, ec)) break;
    }
    return paths;
}

}  // namespace sealift::builder
