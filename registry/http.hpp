// One HTTP exchange over libcurl, and nothing registry-specific: the registry
// client layers authentication, retries and error messages on top. Private to registry/.
//
// Redirects are never followed here: the caller decides, so an Authorization
// header never travels to another host (presigned object-store URLs).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sealift::registry {

struct TlsOptions {
    std::filesystem::path ca_file;  // added to the system CAs
    std::filesystem::path client_cert, client_key;
};

struct HttpRequest {
    std::string method = "GET";  // GET, HEAD, POST, PUT, PATCH, DELETE
    std::string url;
    std::vector<std::string> headers;  // "Name: value"
    // Sent for POST, PUT and PATCH (an empty body is sent as Content-Length: 0).
    // The bytes must outlive the call.
    std::string_view body;
    // When set, the body of a 2xx answer goes here in pieces (with the status,
    // to tell 200 from 206) instead of into HttpResponse::body.
    std::function<void(long status, std::string_view piece)> sink;
    std::size_t max_body = 16u << 20;  // bodies kept in memory are capped
};

struct HttpResponse {
    long status = 0;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // lower-case names, trimmed values
    unsigned retries = 0;  // set by RegistrySession: the attempts before this answer that it retried

    // The first value of a header, or "" when absent.
    std::string header(std::string_view lower_case_name) const;
    bool has_header(std::string_view lower_case_name) const;
};

// A transfer that failed below HTTP (connect, TLS, dropped connection, timeout).
class TransportError : public std::runtime_error {
public:
    TransportError(int curl_code, const std::string& message) : std::runtime_error(message), curl_code_(curl_code) {}
    int curl_code() const { return curl_code_; }
    // Worth another attempt: the peer may answer next time.
    bool transient() const;

private:
    int curl_code_;
};

// Thread-safe: keeps a small pool of easy handles so connections are reused.
class HttpClient {
public:
    explicit HttpClient(TlsOptions tls);
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Throws TransportError, or whatever the sink throws.
    HttpResponse perform(const HttpRequest& request);

private:
    struct Pool;
    TlsOptions tls_;
    std::unique_ptr<Pool> pool_;
};

// `reference` (a Location or Link target, relative or absolute) resolved against `base`.
std::string resolve_url(const std::string& base, const std::string& reference);
// Appends "name=value" (value percent-encoded) to the query of `url`.
std::string add_query(const std::string& url, std::string_view name, std::string_view value);
// "host:port" of an absolute URL, lower-cased; the scheme's default port when the URL names none.
std::string url_authority(const std::string& url);

}  // namespace sealift::registry
