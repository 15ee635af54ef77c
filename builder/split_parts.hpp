// Split media: a finished bundle cut into numbered parts for FAT32 sticks and
// DVDs. The parts' bytes concatenated are the bundle, so the signed metadata is
// unchanged and `cat NAME.bundle.* | tar --zstd -t` still works.
#pragma once

#include <filesystem>
#include <vector>

#include "core/file.hpp"

namespace sealift::builder {

// `whole` holds the finished bundle and was opened to become NAME.bundle.001.
// Every part but the last holds exactly `limit - 1` bytes: each stays smaller
// than the limit (so 4G fits FAT32's 4 GiB - 1 bytes), and a reader can tell a
// truncated middle part by its size. Parts are cut from the end, copied in the
// kernel, and the whole file truncated behind them, so the extra disk space is one part.
// Returns every part's path in order; stale higher-numbered parts are removed.
std::vector<std::filesystem::path> write_split_parts(AtomicFile& whole, const std::filesystem::path& bundle_path,
                                                     std::uint64_t limit);

}  // namespace sealift::builder
