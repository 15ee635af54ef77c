#include "mirror/http/http_message.hpp"

#include <charconv>

namespace sealift::mirror::http {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Calls fn(name, value) for each "name=value" pair of a query string, undecoded.
template <typename Fn>
void each_query_pair(std::string_view query, Fn fn) {
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        fn(pair.substr(0, eq), eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    }
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    return true;
}

std::string_view trim_ows(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size()) return std::nullopt;
            unsigned char byte = 0;
            const char* digits = text.data() + i + 1;
            auto [end, ec] = std::from_chars(digits, digits + 2, byte, 16);
            if (ec != std::errc() || end != digits + 2) return std::nullopt;
            out.push_back(static_cast<char>(byte));
            i += 2;
        } else {
            out.push_back(plus_is_space && c == '+' ? ' ' : c);
        }
    }
    return out;
}

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers)
        if (name == lower_name) return std::string_view(value);
    return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    std::optional<std::string> found;
    bool seen = false;
    each_query_pair(query, [&](std::string_view key, std::string_view value) {
        if (seen || key != name) return;
        seen = true;
        found = percent_decode(value, true);
    });
    return found;
}

std::vector<std::string> Request::query_params(std::string_view name) const {
    std::vector<std::string> out;
    each_query_pair(query, [&](std::string_view key, std::string_view value) {
        if (key != name) return;
        if (auto decoded = percent_decode(value, true)) out.push_back(std::move(*decoded));
    });
    return out;
}

void Response::set_header(std::string name, std::string value) {
    for (auto& [n, v] : headers)
        if (iequals(n, name)) {
            v = std::move(value);
            return;
        }
    headers.emplace_back(std::move(name), std::move(value));
}

void Response::set_body(std::string bytes, std::string content_type) {
    body.clear();
    body.push_back(BodyPart{std::move(bytes)});
    set_header("Content-Type", std::move(content_type));
}

void Response::add_file_range(std::shared_ptr<const File> file, std::uint64_t offset, std::uint64_t length) {
    BodyPart part;
    part.file = std::move(file);
    part.offset = offset;
    part.length = length;
    body.push_back(std::move(part));
}

std::uint64_t Response::content_length() const {
    std::uint64_t total = 0;
    for (const auto& part : body) total += part.size();
    return total;
}

const char* status_reason(int status) {
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
    }
}

}  // namespace sealift::mirror::http
