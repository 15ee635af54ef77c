#include "registry/registry_session.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <ctime>
#include <random>
#include <thread>

#include "core/error.hpp"
#include "core/json.hpp"

namespace sealift::registry {
namespace {

bool is_redirect(long status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string after_retries(unsigned retries) {
    return retries ? " after " + std::to_string(retries) + (retries == 1 ? " retry" : " retries") : "";
}

// Retry-After in seconds or as an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> retry_after(const HttpResponse& response) {
    std::string value = response.header("retry-after");
    if (value.empty()) return std::nullopt;
    std::int64_t seconds = 0;
    if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }) && value.size() < 10) {
        seconds = std::stoll(value);
    } else {
        time_t at = curl_getdate(value.c_str(), nullptr);
        if (at < 0) return std::nullopt;
        seconds = std::max<std::int64_t>(0, at - std::time(nullptr));
    }
    // A registry asking for more than five minutes gets five: the retry count bounds the total.
    return std::chrono::seconds(std::min<std::int64_t>(seconds, 300));
}

std::string first_line(std::string_view text, std::size_t max) {
    text = text.substr(0, text.find('\n'));
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
    return std::string(text.substr(0, max));
}

}  // namespace

RegistrySession::RegistrySession(RegistryOptions options)
    : options_(std::move(options)),
      base_url_((options_.plain_http ? "http://" : "https://") + options_.host),
      authority_(url_authority(base_url_)),
      http_(TlsOptions{options_.ca_file, options_.client_cert, options_.client_key}),
      authorizer_(options_.credentials, [this](const std::string& url, const std::string& authorization) {
          return fetch_token(url, authorization);
      }) {
    if (options_.host.empty() || options_.host.find_first_of("/?#@ ") != std::string::npos)
        fail(Errc::usage, "invalid registry host '" + options_.host + "' (want host or host:port)");
}

std::string RegistrySession::context(const Call& call) const {
    std::string where = !call.where.empty() ? call.where
                        : call.repo.empty() ? options_.host
                                            : options_.host + "/" + call.repo;
    return where + ": " + call.operation + (call.subject.empty() ? "" : " " + call.subject);
}

std::string RegistrySession::describe_status(const HttpResponse& response) {
    std::string out = "HTTP " + std::to_string(response.status);
    Json body = Json::parse(response.body, nullptr, false);
    std::string errors;
    if (body.is_object() && body.contains("errors") && body["errors"].is_array()) {
        for (const auto& e : body["errors"]) {
            if (!e.is_object()) continue;
            std::string code = e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
            std::string message =
                e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
            errors += (errors.empty() ? " " : "; ") + code + (message.empty() ? "" : ": " + first_line(message, 300));
        }
    }
    if (!errors.empty()) return out + errors;
    std::string text = first_line(response.body, 200);
    return text.empty() ? out : out + ": " + text;
}

void RegistrySession::fail_status(const Call& call, const HttpResponse& response, const std::string& doing) const {
    // No credentials and refused ones get the same 401: say which it was.
    std::string credentials;
    if (response.status == 401)
        credentials = options_.credentials.username.empty()
                          ? " (no credentials were sent: give --username with --password-stdin, set "
                            "SEALIFT_REGISTRY_USERNAME and SEALIFT_REGISTRY_PASSWORD, or docker login " +
                                options_.host + ")"
                          : " (the credentials of user '" + options_.credentials.username + "' were sent and refused)";
    fail(Errc::registry, context(call) + (doing.empty() ? "" : ": " + doing) + ": " + describe_status(response) +
                             after_retries(response.retries) + credentials);
}

void RegistrySession::fail_transport(const Call& call, const TransportError& error, unsigned retries) const {
    // A TLS handshake answered in plain HTTP is curl's "wrong version number" (error 35).
    std::string hint;
    if (!options_.plain_http && error.curl_code() == CURLE_SSL_CONNECT_ERROR)
        hint = " (if " + options_.host + " speaks plain HTTP, not HTTPS, pass --plain-http)";
    fail(Errc::network,
         context(call) + ": cannot reach " + options_.host + after_retries(retries) + ": " + error.what() + hint);
}

void RegistrySession::back_off(unsigned attempt, const HttpResponse* response) {
    using namespace std::chrono;
    ++counters.retries;
    auto cap = std::max<milliseconds>(options_.initial_backoff, seconds(30));
    milliseconds base = options_.initial_backoff * (std::int64_t{1} << std::min(attempt, 16u));
    base = std::min(base, cap);
    // Full jitter in the upper half, so parallel workers hitting one failure spread out.
    thread_local std::mt19937_64 random{std::random_device{}()};
    std::uniform_int_distribution<std::int64_t> pick(base.count() / 2, std::max<std::int64_t>(base.count(), 1));
    milliseconds delay(pick(random));
    if (response)
        if (auto asked = retry_after(*response)) delay = *asked;
    std::this_thread::sleep_for(delay);
}

HttpResponse RegistrySession::perform(const HttpRequest& request, const std::string& authorization) {
    ++counters.requests;
    if (authorization.empty()) return http_.perform(request);
    HttpRequest with_auth = request;
    with_auth.headers.push_back("Authorization: " + authorization);
    return http_.perform(with_auth);
}

HttpResponse RegistrySession::send(const Call& call, HttpRequest request, const SendOptions& options) {
    unsigned attempt = 0, redirects = 0;
    bool reauthenticated = false;
    for (;;) {
        // Credentials go to the registry itself only, never to a host it redirects to.
        bool authenticate = options.authenticate && url_authority(request.url) == authority_;
        std::string authorization;
        if (authenticate) {
            try {
                authorization = authorizer_.authorization(call.scopes);
            } catch (const Error& e) {
                rethrow_with_context(e, context(call));
            }
        }
        HttpResponse response;
        try {
            response = perform(request, authorization);
        } catch (const TransportError& e) {
            if (!e.transient()) fail_transport(call, e, attempt);
            if (!options.retry) throw;
            if (attempt >= options_.max_retries) fail_transport(call, e, attempt);
            back_off(attempt++, nullptr);
            if (options.before_retry) options.before_retry(request);
            continue;
        }

        if (response.status == 401 && authenticate && !reauthenticated) {
            reauthenticated = true;
            std::vector<std::string> challenges;
            for (const auto& [name, value] : response.headers)
                if (name == "www-authenticate") challenges.push_back(value);
            bool again = false;
            try {
                again = !challenges.empty() && authorizer_.on_unauthorized(challenges, call.scopes);
            } catch (const Error& e) {
                rethrow_with_context(e, context(call));
            }
            if (again) continue;
            response.retries = attempt;
            return response;
        }
        if (options.retry && retryable_status(response.status) && attempt < options_.max_retries) {
            back_off(attempt++, &response);
            if (options.before_retry) options.before_retry(request);
            continue;
        }
        if (options.follow_redirects && (request.method == "GET" || request.method == "HEAD") &&
            is_redirect(response.status) && response.has_header("location")) {
            if (++redirects > 10) fail(Errc::registry, context(call) + ": more than 10 redirects");
            request.url = resolve_url(request.url, response.header("location"));
            continue;
        }
        response.retries = attempt;
        return response;
    }
}

std::string RegistrySession::fetch_token(const std::string& url, const std::string& authorization) {
    Call call{"get token", "", "", {}, url.substr(0, url.find('?'))};
    HttpRequest request;
    request.url = url;
    if (!authorization.empty()) request.headers.push_back("Authorization: " + authorization);
    request.max_body = 1u << 20;
    HttpResponse response = send(call, std::move(request), SendOptions{.authenticate = false});
    if (response.status != 200) fail_status(call, response);
    return response.body;
}

}  // namespace sealift::registry
