// Parses one HTTP/1.x request head (and a small body) from the bytes a
// connection has buffered, enforcing the limits that keep a slow or hostile
// client from growing the server's memory: request line (414), header section
// and header count (431), body size. Strict where leniency lets a front proxy
// and this server frame a request differently: CRLF line ends only, no control
// characters in field values, exactly one Host for HTTP/1.1.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "mirror/http/http_message.hpp"

namespace sealift::mirror::http {

struct ParserLimits {
    std::size_t max_request_line = 8192;
    std::size_t max_header_bytes = 16384;  // request line and headers together
    std::size_t max_headers = 100;
    std::size_t max_body = 1u << 20;  // larger bodies are not read (see skipped_body); the server sets it per listener
};

struct ParseResult {
    enum Status { incomplete, complete, error } status = incomplete;
    std::size_t consumed = 0;  // bytes of the input this request used (complete only)
    // incomplete with the head in and the body not: the input size at which parsing
    // again can finish, so a body arriving in small pieces is not re-parsed with each.
    std::size_t wanted = 0;
    int error_status = 0;      // 400, 413, 414, 431, 501, 505 (error only)
    std::string error_reason;  // one line for the error body and the log
    // The request has a body the server will not read (chunked, or above
    // max_body): it is answered, then the connection is closed.
    bool skipped_body = false;
    bool body_over_limit = false;  // skipped because its Content-Length is above max_body
};

ParseResult parse_request(std::string_view input, const ParserLimits& limits, Request& out);

}  // namespace sealift::mirror::http
