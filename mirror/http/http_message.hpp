// HTTP/1.1 requests and responses as the embedded registry's server sees them.
// A response body is a list of parts: bytes held in memory (headers of a
// multipart range, JSON, manifests) or ranges of an open file, which plain
// HTTP sends with sendfile and never reads into user space.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/file.hpp"

namespace sealift::mirror::http {

struct Request {
    std::string method;                                        // as sent: "GET", "HEAD", ...
    std::string target;                                        // origin-form, as sent: "/v2/a/b/tags/list?n=10"
    std::string path;                                          // target before '?', not decoded
    std::string query;                                         // target after '?', not decoded
    int minor_version = 1;                                     // HTTP/1.<minor>
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case, values trimmed
    std::string body;      // only for requests with a Content-Length within the limit
    std::string peer;      // "127.0.0.1:53422"
    std::string listener;  // the name of the listener it arrived on

    // The first header of that (lower-case) name, or nullopt.
    std::optional<std::string_view> header(std::string_view lower_name) const;
    // The percent-decoded value of the first query parameter of that name;
    // nullopt when absent or when its encoding is broken.
    std::optional<std::string> query_param(std::string_view name) const;
    std::vector<std::string> query_params(std::string_view name) const;
};

// One piece of a response body.
struct BodyPart {
    std::string bytes;                 // used when file is null
    std::shared_ptr<const File> file;  // else: `length` bytes of it from `offset`
    std::uint64_t offset = 0, length = 0;
    std::uint64_t size() const { return file ? length : bytes.size(); }
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // Content-Length is added by the server
    std::vector<BodyPart> body;
    bool close = false;  // close the connection after this response
    std::string route;   // label for metrics and logs; set by the router, refined by handlers
    // Set by a handler that must block (a pull-through fetch): the server runs it
    // on a thread of its own, off the event loop, and sends the response it fills
    // in (starting from this one) when it returns. Other requests go on meanwhile.
    std::function<void(Response&)> deferred;

    void set_header(std::string name, std::string value);
    void set_body(std::string bytes, std::string content_type);
    void add_file_range(std::shared_ptr<const File> file, std::uint64_t offset, std::uint64_t length);
    std::uint64_t content_length() const;
};

const char* status_reason(int status);

// Percent-decodes `text`; nullopt when a '%' is not followed by two hex digits.
// `plus_is_space` for application/x-www-form-urlencoded query strings.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Equal ignoring ASCII case.
bool iequals(std::string_view a, std::string_view b);

// Without the optional whitespace (spaces, tabs) at either end (RFC 9110 5.6.3).
std::string_view trim_ows(std::string_view text);

// Calls `visit` on each element of a comma-separated header value (RFC 9110
// 5.6.1: "a, b ,,c"), trimmed, empty ones skipped, until it returns true;
// returns whether it did.
template <typename Visit>
bool visit_list(std::string_view list, Visit visit) {
    while (!list.empty()) {
        auto comma = list.find(',');
        std::string_view element = trim_ows(list.substr(0, comma));
        list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
        if (!element.empty() && visit(element)) return true;
    }
    return false;
}

}  // namespace sealift::mirror::http
