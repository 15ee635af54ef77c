#include "core/byte_size.hpp"

#include <array>
#include <utility>

namespace sealift {
namespace {

constexpr std::uint64_t kKi = 1024, kK = 1000;
constexpr std::array<std::pair<std::string_view, std::uint64_t>, 14> kSuffixes{{
    {"", 1},
    {"K", kKi},
    {"k", kKi},
    {"M", kKi* kKi},
    {"G", kKi* kKi* kKi},
    {"T", kKi* kKi* kKi* kKi},
    {"KiB", kKi},
    {"MiB", kKi* kKi},
    {"GiB", kKi* kKi* kKi},
    {"TiB", kKi* kKi* kKi* kKi},
    {"kB", kK},
    {"MB", kK* kK},
    {"GB", kK* kK* kK},
    {"TB", kK* kK* kK* kK},
}};

bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
    std::size_t i = 0;
    std::uint64_t whole = 0;
    while (i < text.size() && digit(text[i])) {
        const auto d = static_cast<std::uint64_t>(text[i++] - '0');
        if (whole > (UINT64_MAX - d) / 10) return std::nullopt;
        whole = whole * 10 + d;
    }
    if (i == 0) return std::nullopt;
    // Up to 9 fraction digits, kept exactly as fraction / 10^digits.
    std::uint64_t fraction = 0, scale = 1;
    if (i < text.size() && text[i] == '.') {
        ++i;
        std::size_t start = i;
        while (i < text.size() && digit(text[i]) && i - start < 9) {
            fraction = fraction * 10 + static_cast<std::uint64_t>(text[i++] - '0');
            scale *= 10;
        }
        if (i == start || (i < text.size() && digit(text[i]))) return std::nullopt;
    }
    std::string_view suffix = text.substr(i);
    if (suffix == "KB") suffix = "kB";  // as often written
    for (const auto& [name, unit] : kSuffixes) {
        if (suffix != name) continue;
        if (scale > 1 && unit == 1) return std::nullopt;  // "1.5" bytes
        if (whole > UINT64_MAX / unit) return std::nullopt;
        // floor(fraction * unit / scale) without overflow: with unit = q * scale + r, it is
        // fraction * q (< unit, as fraction < scale) plus floor(fraction * r / scale) (< 10^18).
        std::uint64_t part = unit / scale * fraction + unit % scale * fraction / scale;
        if (whole * unit > UINT64_MAX - part) return std::nullopt;
        return whole * unit + part;
    }
    return std::nullopt;
}

}  // namespace sealift
