#include "mirror/http/request_parser.hpp"

#include <charconv>

#include "core/text.hpp"

namespace sealift::mirror::http {
namespace {

bool is_token_char(char c) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~': return true;
    default: return false;
    }
}

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!is_token_char(c)) return false;
    return true;
}

// Printable ASCII without spaces, as a request-target must be.
bool is_target_char(char c) { return c > 0x20 && c < 0x7f; }

// A field value holds visible characters, spaces and tabs, and obs-text (RFC 9110 5.5): a CR
// or NUL inside one is how a request smuggles a second one past a lenient front proxy.
bool valid_field_value(std::string_view value) {
    for (char c : value) {
        auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f) return false;
    }
    return true;
}

ParseResult failure(int status, std::string reason) {
    ParseResult r;
    r.status = ParseResult::error;
    r.error_status = status;
    r.error_reason = std::move(reason);
    return r;
}

// Where the line starting at `pos` ends (its "\n"); npos when incomplete.
std::size_t line_end(std::string_view input, std::size_t pos) { return input.find('\n', pos); }

// Inside the head every line ends with CRLF: a bare LF is a line end to some parsers and not to
// others, so a front proxy and this server would see different requests (RFC 9112 2.2).
bool ends_with_crlf(std::string_view input, std::size_t pos, std::size_t end) {
    return end > pos && input[end - 1] == '\r';
}

std::string_view line_at(std::string_view input, std::size_t pos, std::size_t end) {
    return input.substr(pos, end - pos - 1);
}

ParseResult parse_request_line(std::string_view line, Request& out) {
    auto sp1 = line.find(' ');
    auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos)
        return failure(400, "malformed request line");
    std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                     version = line.substr(sp2 + 1);
    if (!is_token(method)) return failure(400, "malformed method in the request line");
    if (version.size() != 8 || !version.starts_with("HTTP/")) return failure(400, "malformed HTTP version");
    if (version != "HTTP/1.1" && version != "HTTP/1.0") return failure(505, "only HTTP/1.0 and HTTP/1.1 are served");
    if (target.empty() || target.front() != '/')
        return failure(400, "the request target must be an absolute path (origin-form)");
    for (char c : target)
        if (!is_target_char(c)) return failure(400, "control character or space in the request target");
    out.method = std::string(method);
    out.target = std::string(target);
    auto q = target.find('?');
    out.path = std::string(target.substr(0, q));
    out.query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
    out.minor_version = version[7] - '0';
    return {};
}

}  // namespace

ParseResult parse_request(std::string_view input, const ParserLimits& limits, Request& out) {
    // Empty lines before a request are allowed (RFC 9112 2.2), but count against the
    // request line's limit: the connection keeps every byte it has not parsed.
    std::size_t pos = 0;
    while (pos < input.size() && (input[pos] == '\r' || input[pos] == '\n')) ++pos;
    if (pos > limits.max_request_line) return failure(400, "more empty lines before the request line than its limit");

    std::size_t end = line_end(input, pos);
    if (end == std::string_view::npos) {
        if (input.size() - pos > limits.max_request_line) return failure(414, "request line longer than the limit");
        return {};
    }
    if (end - pos > limits.max_request_line) return failure(414, "request line longer than the limit");
    if (!ends_with_crlf(input, pos, end)) return failure(400, "request line ends with a bare LF, not CRLF");
    out = Request{};
    if (auto r = parse_request_line(line_at(input, pos, end), out); r.status == ParseResult::error) return r;
    std::size_t head_start = pos;
    pos = end + 1;

    std::optional<std::uint64_t> content_length;
    bool chunked = false;
    int hosts = 0;
    for (;;) {
        end = line_end(input, pos);
        if (end == std::string_view::npos) {
            if (input.size() - head_start > limits.max_header_bytes)
                return failure(431, "request header section larger than the limit");
            return {};
        }
        if (end + 1 - head_start > limits.max_header_bytes)
            return failure(431, "request header section larger than the limit");
        if (!ends_with_crlf(input, pos, end)) return failure(400, "header line ends with a bare LF, not CRLF");
        std::string_view line = line_at(input, pos, end);
        pos = end + 1;
        if (line.empty()) break;
        if (line.front() == ' ' || line.front() == '\t') return failure(400, "obsolete header line folding");
        if (out.headers.size() >= limits.max_headers) return failure(431, "more request header fields than the limit");
        auto colon = line.find(':');
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
            return failure(400, "malformed header field");
        std::string name = ascii_lowercase(line.substr(0, colon));
        std::string_view value = trim_ows(line.substr(colon + 1));
        if (!valid_field_value(value))
            return failure(400, "control character in the value of header field '" + name + "'");
        if (name == "host" && ++hosts > 1) return failure(400, "more than one Host header field");
        if (name == "content-length") {
            std::uint64_t n = 0;
            auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            if (ec != std::errc() || p != value.data() + value.size() || value.empty())
                return failure(400, "malformed Content-Length");
            if (content_length && *content_length != n) return failure(400, "conflicting Content-Length fields");
            content_length = n;
        } else if (name == "transfer-encoding") {
            if (!iequals(value, "chunked"))
                return failure(501, "transfer coding not implemented: " + std::string(value));
            chunked = true;
        }
        out.headers.emplace_back(std::move(name), std::string(value));
    }
    if (chunked && content_length) return failure(400, "both Transfer-Encoding and Content-Length");
    // RFC 9112 3.2: an HTTP/1.1 request without Host is refused with 400.
    if (hosts == 0 && out.minor_version >= 1) return failure(400, "an HTTP/1.1 request needs a Host header field");

    ParseResult result;
    result.status = ParseResult::complete;
    result.consumed = pos;
    if (chunked || (content_length && *content_length > limits.max_body)) {
        result.skipped_body = true;
        result.body_over_limit = !chunked;
        return result;
    }
    if (content_length && *content_length > 0) {
        if (input.size() - pos < *content_length) {
            ParseResult waiting;
            waiting.wanted = pos + *content_length;
            return waiting;
        }
        out.body = std::string(input.substr(pos, *content_length));
        result.consumed = pos + *content_length;
    }
    return result;
}

}  // namespace sealift::mirror::http
