#include "mirror/http/byte_ranges.hpp"

#include <charconv>
#include <optional>

#include "mirror/http/http_message.hpp"

namespace sealift::mirror::http {
namespace {

std::optional<std::uint64_t> number(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::uint64_t n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return n;
}

}  // namespace

RangeRequest parse_range(std::string_view header, std::uint64_t size, std::size_t max_ranges) {
    header = trim_ows(header);
    if (!header.starts_with("bytes=")) return {};
    header.remove_prefix(6);
    RangeRequest out;
    std::size_t specs = 0;
    std::uint64_t total = 0;  // bytes the ranges ask for together
    // Each spec either adds a range, is skipped as unsatisfiable, or makes the
    // whole header ignored (returns true).
    bool ignored = visit_list(header, [&](std::string_view spec) {
        if (++specs > max_ranges) return true;
        auto dash = spec.find('-');
        if (dash == std::string_view::npos) return true;
        std::string_view a = trim_ows(spec.substr(0, dash)), b = trim_ows(spec.substr(dash + 1));
        ByteRange r;
        if (a.empty()) {  // suffix: the last N bytes
            auto n = number(b);
            if (!n) return true;
            if (*n == 0 || size == 0) return false;
            r.first = *n >= size ? 0 : size - *n;
            r.last = size - 1;
        } else {
            auto first = number(a);
            if (!first) return true;
            std::optional<std::uint64_t> last;
            if (!b.empty()) {
                last = number(b);
                if (!last || *last < *first) return true;
            }
            if (*first >= size) return false;  // unsatisfiable on its own
            r.first = *first;
            r.last = last && *last < size ? *last : size - 1;
        }
        // Overlapping ranges that ask for more than the whole ("0-,0-,0-...") would make
        // one request send the blob many times over: send it once instead.
        if (r.length() > size - total) return true;
        total += r.length();
        out.ranges.push_back(r);
        return false;
    });
    if (ignored || specs == 0) return {};
    out.kind = out.ranges.empty() ? RangeRequest::unsatisfiable : RangeRequest::partial;
    return out;
}

}  // namespace sealift::mirror::http
