// The Range request header (RFC 9110 14.2) for blobs: single and multiple
// byte ranges, suffix ranges, and what makes a request unsatisfiable (416).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace sealift::mirror::http {

struct ByteRange {
    std::uint64_t first = 0, last = 0;  // inclusive
    std::uint64_t length() const { return last - first + 1; }
};

struct RangeRequest {
    enum Kind { whole, partial, unsatisfiable } kind = whole;
    std::vector<ByteRange> ranges;  // partial: clipped to the resource, in request order
};

// whole when the header is absent, not "bytes=", malformed, asks for more
// than `max_ranges` ranges, or for more bytes than the resource holds (a server
// may ignore Range; it then sends it all).
RangeRequest parse_range(std::string_view header, std::uint64_t size, std::size_t max_ranges = 32);

}  // namespace sealift::mirror::http
