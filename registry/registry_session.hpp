// What every registry call goes through: the registry's base URL, credentials
// and tokens, retries with backoff, redirects, counters, and error messages
// naming host, repository, operation and digest or tag. Private to registry/.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "registry/auth.hpp"
#include "registry/http.hpp"
#include "registry/registry_client.hpp"

namespace sealift::registry {

// One registry operation, as errors name it: "<host>/<repo>: <operation> <subject>".
struct Call {
    std::string operation;            // "push blob", "get manifest"
    std::string repo;                 // empty for registry-wide calls (ping)
    std::string subject;              // digest or tag, maybe empty
    std::vector<std::string> scopes;  // token scopes the call needs
    std::string where;                // replaces "<host>/<repo>" (a token realm)
};

struct SendOptions {
    // Retry 429, 5xx and dropped connections with backoff. Without it a
    // transient transport failure is thrown as TransportError for the caller to handle.
    bool retry = true;
    // Follow 3xx for GET and HEAD (blob downloads may go to object storage).
    bool follow_redirects = false;
    // Adjusts the request before each retry (a Range to resume a download, say).
    std::function<void(HttpRequest&)> before_retry;
    // Off for the token endpoint itself, which takes only the Basic credentials.
    bool authenticate = true;
};

class RegistrySession {
public:
    explicit RegistrySession(RegistryOptions options);

    const RegistryOptions& options() const { return options_; }
    // Absolute URL of a path on the registry ("/v2/...").
    std::string url(const std::string& path) const { return base_url_ + path; }

    // Sends with credentials, retries and redirects as asked, and returns the
    // final answer whatever its status. Throws Errc::network once retries are spent.
    HttpResponse send(const Call& call, HttpRequest request, const SendOptions& options = {});

    // "<host>/<repo>: <operation> <subject>"
    std::string context(const Call& call) const;
    // "HTTP <status> <code>: <message>", from the registry's JSON error body when it has one.
    static std::string describe_status(const HttpResponse& response);
    // Errc::registry: "<context>: HTTP <status> <code>: <message>".
    [[noreturn]] void fail_status(const Call& call, const HttpResponse& response, const std::string& doing = "") const;
    // Errc::network for a transport failure.
    [[noreturn]] void fail_transport(const Call& call, const TransportError& error, unsigned retries) const;
    // Sleeps before retry number `attempt` (0-based), honouring Retry-After; counts the retry.
    void back_off(unsigned attempt, const HttpResponse* response);

    static bool retryable_status(long status) {
        return status == 429 || (status >= 500 && status != 501 && status != 505);
    }

    struct Counters {
        std::atomic<std::uint64_t> blobs_uploaded{0}, blobs_skipped{0}, blobs_mounted{0}, bytes_uploaded{0}, retries{0},
            requests{0};
    };
    Counters counters;

private:
    HttpResponse perform(const HttpRequest& request, const std::string& authorization);
    std::string fetch_token(const std::string& url, const std::string& authorization);

    RegistryOptions options_;
    std::string base_url_;
    std::string authority_;  // host:port of base_url_
    HttpClient http_;
    Authorizer authorizer_;
};

}  // namespace sealift::registry
