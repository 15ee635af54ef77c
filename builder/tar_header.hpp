// Deterministic tar headers for bundle entries: POSIX ustar, with a pax
// extended header only when a path or size does not fit ustar. Every field is
// fixed (mode 0644, uid/gid 0, empty owner names, one mtime) so the same
// entries always give the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sealift::builder {

inline constexpr std::size_t kTarBlock = 512;

// The header block(s) that precede an entry's data.
std::string tar_entry_header(std::string_view path, std::uint64_t size, std::int64_t mtime);

// Zero bytes that pad `size` up to a whole block.
inline std::size_t tar_padding(std::uint64_t size) { return (kTarBlock - size % kTarBlock) % kTarBlock; }

// The end-of-archive marker: two zero blocks.
inline constexpr std::size_t kTarTrailer = 2 * kTarBlock;

}  // namespace sealift::builder
