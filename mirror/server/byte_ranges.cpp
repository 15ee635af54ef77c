#include "mirror/server/byte_ranges.hpp"

#include <charconv>
#include <optional>

namespace sealift::mirror::server {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::optional<std::uint64_t> number(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::uint64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return n;
}

}  // namespace

RangeRequest parse_range(std::string_view header, std::uint64_t size, std::size_t max_ranges) {
    RangeRequest whole;
    header = trim(header);
    if (!header.starts_with("bytes=")) return whole;
    header.remove_prefix(6);
    RangeRequest out;
    std::size_t specs = 0;
    bool any_satisfiable = false;
    while (!header.empty()) {
        auto comma = header.find(',');
        std::string_view spec = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        if (spec.empty()) continue;
        if (++specs > max_ranges) return whole;
        auto dash = spec.find('-');
        if (dash == std::string_view::npos) return whole;
        std::string_view a = trim(spec.substr(0, dash)), b = trim(spec.substr(dash + 1));
        ByteRange r;
        if (a.empty()) {  // suffix: the last N bytes
            auto n = number(b);
            if (!n) return whole;
            if (*n == 0 || size == 0) continue;
            r.first = *n >= size ? 0 : size - *n;
            r.last = size - 1;
        } else {
            auto first = number(a);
            if (!first) return whole;
            std::optional<std::uint64_t> last;
            if (!b.empty()) {
                last = number(b);
                if (!last || *last < *first) return whole;
            }
            if (*first >= size) continue;  // unsatisfiable on its own
            r.first = *first;
            r.last = last && *last < size ? *last : size - 1;
        }
        any_satisfiable = true;
        out.ranges.push_back(r);
    }
    if (specs == 0) return whole;
    out.kind = any_satisfiable ? RangeRequest::partial : RangeRequest::unsatisfiable;
    return out;
}

}  // namespace sealift::mirror::server
