// Registry authentication: the WWW-Authenticate challenge, Basic credentials,
// and Bearer tokens fetched from the realm the registry names, cached per
// scope set until they expire. Private to registry/.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "registry/registry_client.hpp"

namespace sealift::registry {

struct Challenge {
    std::string scheme;                         // lower case: "basic", "bearer"
    std::map<std::string, std::string> params;  // lower-case names, unquoted values
};

// Parses one WWW-Authenticate value, which may hold several challenges;
// quoted values keep their commas ("repository:a/b:pull,push"). Throws Errc::format.
std::vector<Challenge> parse_www_authenticate(std::string_view value);

struct BearerToken {
    std::string token;
    std::chrono::seconds expires_in{60};
};
// The token endpoint's JSON answer: `token` or `access_token`, optional `expires_in`.
BearerToken parse_token_response(std::string_view body, const std::string& realm);

// "repository:name:pull,push" for a repository and its actions.
std::string repository_scope(const std::string& repo, const std::string& actions);

// Thread-safe: shared by all the calls of one registry client.
class Authorizer {
public:
    // Performs GET `url` with the given Authorization value (maybe empty) and
    // returns the body of a 200 answer; throws on anything else.
    using TokenFetcher = std::function<std::string(const std::string& url, const std::string& authorization)>;

    Authorizer(Credentials credentials, TokenFetcher fetch);

    // The Authorization value for a request needing `scopes`, "" while the
    // registry has not asked for any. May fetch a token.
    std::string authorization(const std::vector<std::string>& scopes);

    // After a 401 carrying `www_authenticate` values: learns the scheme (and
    // fetches a token covering `scopes` plus the scopes the registry named).
    // True when retrying the request has a chance.
    bool on_unauthorized(const std::vector<std::string>& www_authenticate, const std::vector<std::string>& scopes);

private:
    struct CachedToken {
        std::string token;
        std::vector<std::string> scopes;  // what it was fetched for
        std::chrono::steady_clock::time_point refresh_at;
    };
    std::string fetch_bearer(const std::vector<std::string>& scopes, const std::string& key);

    enum class Scheme { unknown, basic, bearer };
    Credentials credentials_;
    TokenFetcher fetch_;
    std::mutex mutex_;
    Scheme scheme_ = Scheme::unknown;
    std::string realm_, service_;
    std::map<std::string, CachedToken> tokens_;  // by sorted scope set
};

}  // namespace sealift::registry
