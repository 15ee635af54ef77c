#include "registry/http.hpp"

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <cctype>
#include <exception>
#include <mutex>

#include "core/error.hpp"
#include "core/text.hpp"

namespace sealift::registry {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

void global_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) fail(Errc::internal, "curl_global_init failed");
    });
}

// State of one transfer, reached from libcurl's callbacks.
struct Transfer {
    CURL* curl;
    const HttpRequest* request;
    HttpResponse response;
    std::exception_ptr sink_error;
    bool body_too_large = false;
};

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    std::string_view line(data, size * count);
    // A new status line (after a 100 Continue, say) starts a new header set.
    if (line.starts_with("HTTP/")) {
        t->response.headers.clear();
        return size * count;
    }
    auto colon = line.find(':');
    if (colon != std::string_view::npos)
        t->response.headers.emplace_back(ascii_lowercase(trim(line.substr(0, colon))),
                                         std::string(trim(line.substr(colon + 1))));
    return size * count;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
    auto* t = static_cast<Transfer*>(user);
    size_t n = size * count;
    long status = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
    if (t->request->sink && status >= 200 && status < 300) {
        try {
            t->request->sink(status, std::string_view(data, n));
        } catch (...) {
            // Carried across libcurl's C frames and rethrown by perform().
            t->sink_error = std::current_exception();
            return 0;
        }
        return n;
    }
    if (t->response.body.size() + n > t->request->max_body) {
        t->body_too_large = true;
        return 0;
    }
    t->response.body.append(data, n);
    return n;
}

// Adds the extra CA bundle to the store libcurl already filled with the system CAs.
CURLcode add_extra_cas(CURL*, void* ssl_ctx, void* user) {
    auto* path = static_cast<const std::string*>(user);
    X509_STORE* store = SSL_CTX_get_cert_store(static_cast<SSL_CTX*>(ssl_ctx));
    return X509_STORE_load_file(store, path->c_str()) == 1 ? CURLE_OK : CURLE_SSL_CACERT_BADFILE;
}

struct CurlUrl {
    CURLU* h = curl_url();
    ~CurlUrl() { curl_url_cleanup(h); }
    void set(CURLUPart part, const std::string& value, unsigned flags, const std::string& what) {
        if (CURLUcode rc = curl_url_set(h, part, value.c_str(), flags); rc != CURLUE_OK)
            fail(Errc::format, "invalid URL " + what + " '" + value + "': " + curl_url_strerror(rc));
    }
    std::string get(CURLUPart part, unsigned flags) const {
        char* out = nullptr;
        if (curl_url_get(h, part, &out, flags) != CURLUE_OK) return {};
        std::string s(out);
        curl_free(out);
        return s;
    }
};

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (k == name) return v;
    return {};
}

bool HttpResponse::has_header(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
}

bool TransportError::transient() const {
    switch (curl_code_) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM: return true;
    default: return false;
    }
}

struct HttpClient::Pool {
    std::mutex mutex;
    std::vector<CURL*> idle;
    ~Pool() {
        for (CURL* c : idle) curl_easy_cleanup(c);
    }
};

HttpClient::HttpClient(TlsOptions tls) : tls_(std::move(tls)), pool_(std::make_unique<Pool>()) { global_init(); }

HttpClient::~HttpClient() = default;

HttpResponse HttpClient::perform(const HttpRequest& request) {
    CURL* curl = nullptr;
    {
        std::lock_guard lock(pool_->mutex);
        if (!pool_->idle.empty()) {
            curl = pool_->idle.back();
            pool_->idle.pop_back();
        }
    }
    if (!curl) curl = curl_easy_init();
    if (!curl) fail(Errc::internal, "curl_easy_init failed");
    // Back to the pool whatever happens; reset keeps the live connections.
    struct Return {
        Pool& pool;
        CURL* curl;
        ~Return() {
            curl_easy_reset(curl);
            std::lock_guard lock(pool.mutex);
            pool.idle.push_back(curl);
        }
    } give_back{*pool_, curl};

    Transfer t{curl, &request, {}, nullptr};
    char error_text[CURL_ERROR_SIZE] = "";
    curl_slist* headers = nullptr;
    for (const auto& h : request.headers) headers = curl_slist_append(headers, h.c_str());
    // No "Expect: 100-continue" round trip before each chunk.
    headers = curl_slist_append(headers, "Expect:");
    // Nor libcurl's form Content-Type on bodies that have none.
    bool typed = std::any_of(request.headers.begin(), request.headers.end(),
                             [](const std::string& h) { return ascii_lowercase(h.substr(0, 13)) == "content-type:"; });
    if (!typed) headers = curl_slist_append(headers, "Content-Type:");
    struct FreeHeaders {
        curl_slist* list;
        ~FreeHeaders() { curl_slist_free_all(list); }
    } free_headers{headers};

    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "sealift");
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 30L);
    // A transfer that stalls below 1 byte/s for a minute is dropped (and retried).
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    if (!tls_.ca_file.empty()) {
        curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, add_extra_cas);
        curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, const_cast<std::string*>(&tls_.ca_file.native()));
    }
    if (!tls_.client_cert.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, tls_.client_cert.c_str());
    if (!tls_.client_key.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, tls_.client_key.c_str());

    if (request.method == "GET") {
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
        curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
        if (request.method == "POST" || request.method == "PUT" || request.method == "PATCH") {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data() ? request.body.data() : "");
        }
    }

    CURLcode rc = curl_easy_perform(curl);
    if (t.sink_error) std::rethrow_exception(t.sink_error);
    if (t.body_too_large)
        fail(Errc::registry, request.method + " " + request.url + ": answer larger than " +
                                 std::to_string(request.max_body) + " bytes");
    if (rc != CURLE_OK) {
        std::string detail = error_text[0] ? std::string(trim(error_text)) : curl_easy_strerror(rc);
        throw TransportError(rc, detail + " (curl error " + std::to_string(rc) + ")");
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &t.response.status);
    return std::move(t.response);
}

std::string resolve_url(const std::string& base, const std::string& reference) {
    CurlUrl u;
    u.set(CURLUPART_URL, base, 0, "base");
    // Relative references resolve against the URL already set.
    u.set(CURLUPART_URL, reference, 0, "reference");
    return u.get(CURLUPART_URL, 0);
}

std::string add_query(const std::string& url, std::string_view name, std::string_view value) {
    CurlUrl u;
    u.set(CURLUPART_URL, url, 0, "");
    u.set(CURLUPART_QUERY, std::string(name) + "=" + percent_encode(value), CURLU_APPENDQUERY, "query");
    return u.get(CURLUPART_URL, 0);
}

std::string url_authority(const std::string& url) {
    CurlUrl u;
    u.set(CURLUPART_URL, url, 0, "");
    return ascii_lowercase(u.get(CURLUPART_HOST, 0)) + ":" + u.get(CURLUPART_PORT, CURLU_DEFAULT_PORT);
}

}  // namespace sealift::registry
