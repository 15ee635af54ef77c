// Sizes as people write them on command lines: "4.7GB" (a DVD, 4,700,000,000 bytes),
// "700M", "2GiB", "1048576". As GNU coreutils reads them: K, M, G, T and KiB ... TiB
// are powers of 1024; kB/KB, MB, GB, TB powers of 1000. A fraction is allowed with a
// suffix; the result is rounded down to whole bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace sealift {

// nullopt when `text` is not such a size or does not fit in 64 bits.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

}  // namespace sealift
