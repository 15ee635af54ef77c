#include "registry/auth.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "core/error.hpp"
#include "core/json.hpp"
#include "core/text.hpp"
#include "registry/http.hpp"

namespace sealift::registry {
namespace {

bool is_token_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

class ChallengeParser {
public:
    explicit ChallengeParser(std::string_view text) : text_(text) {}

    std::vector<Challenge> parse() {
        std::vector<Challenge> out;
        for (;;) {
            while (pos_ < text_.size() && (text_[pos_] == ',' || is_space(text_[pos_]))) ++pos_;
            if (pos_ == text_.size()) return out;
            std::string name = token();
            skip_spaces();
            if (!out.empty() && pos_ < text_.size() && text_[pos_] == '=') {
                ++pos_;
                skip_spaces();
                out.back().params[ascii_lowercase(name)] =
                    pos_ < text_.size() && text_[pos_] == '"' ? quoted() : bare_value();
            } else {
                out.push_back(Challenge{ascii_lowercase(name), {}});
            }
        }
    }

private:
    static bool is_space(char c) { return c == ' ' || c == '\t'; }
    void skip_spaces() {
        while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
    }
    [[noreturn]] void bad(const std::string& why) const {
        fail(Errc::format, "WWW-Authenticate '" + std::string(text_.substr(0, 200)) + "': " + why + " at offset " +
                               std::to_string(pos_));
    }
    std::string token() {
        std::size_t start = pos_;
        while (pos_ < text_.size() && is_token_char(text_[pos_])) ++pos_;
        if (pos_ == start) bad("expected a name");
        return std::string(text_.substr(start, pos_ - start));
    }
    std::string bare_value() {
        std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',' && !is_space(text_[pos_])) ++pos_;
        return std::string(text_.substr(start, pos_ - start));
    }
    std::string quoted() {
        std::string out;
        for (++pos_; pos_ < text_.size(); ++pos_) {
            char c = text_[pos_];
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (c == '\\' && pos_ + 1 < text_.size()) c = text_[++pos_];
            out += c;
        }
        bad("unterminated quoted string");
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

std::vector<std::string> split_spaces(std::string_view s) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t j = s.find(' ', i);
        if (j == std::string_view::npos) j = s.size();
        if (j > i) out.emplace_back(s.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

std::string scope_key(std::vector<std::string> scopes) {
    std::sort(scopes.begin(), scopes.end());
    std::string key;
    for (const auto& s : scopes) key += s + " ";
    return key;
}

// Refresh a little before the issuer's deadline, so a token never expires in flight.
std::chrono::steady_clock::time_point refresh_time(std::chrono::seconds expires_in) {
    auto margin = std::min<std::chrono::seconds>(expires_in / 4, std::chrono::seconds(30));
    return std::chrono::steady_clock::now() + expires_in - margin;
}

}  // namespace

std::vector<Challenge> parse_www_authenticate(std::string_view value) { return ChallengeParser(value).parse(); }

BearerToken parse_token_response(std::string_view body, const std::string& realm) {
    std::string what = "token answer from " + realm;
    Json j = Json::parse(body, nullptr, false);
    if (!j.is_object()) fail(Errc::format, what + ": not a JSON object");
    BearerToken out;
    for (const char* field : {"token", "access_token"}) {
        auto it = j.find(field);
        if (it != j.end() && it->is_string() && !it->get<std::string>().empty()) {
            out.token = it->get<std::string>();
            break;
        }
    }
    if (out.token.empty()) fail(Errc::format, what + ": no 'token' or 'access_token'");
    if (auto it = j.find("expires_in"); it != j.end()) {
        if (!it->is_number_integer()) fail(Errc::format, what + ": 'expires_in' is not an integer");
        // Zero or negative: the default, as if absent.
        if (it->get<std::int64_t>() > 0) out.expires_in = std::chrono::seconds(it->get<std::int64_t>());
    }
    return out;
}

std::string repository_scope(const std::string& repo, const std::string& actions) {
    return "repository:" + repo + ":" + actions;
}

Authorizer::Authorizer(Credentials credentials, TokenFetcher fetch)
    : credentials_(std::move(credentials)), fetch_(std::move(fetch)) {}

std::string Authorizer::authorization(const std::vector<std::string>& scopes) {
    std::string key = scope_key(scopes);
    std::vector<std::string> wanted = scopes;
    {
        std::lock_guard lock(mutex_);
        if (scheme_ == Scheme::basic)
            return "Basic " + base64_encode(credentials_.username + ":" + credentials_.password);
        if (scheme_ != Scheme::bearer) return {};
        if (auto it = tokens_.find(key); it != tokens_.end()) {
            if (std::chrono::steady_clock::now() < it->second.refresh_at) return "Bearer " + it->second.token;
            wanted = it->second.scopes;
        }
    }
    return fetch_bearer(wanted, key);
}

bool Authorizer::on_unauthorized(const std::vector<std::string>& www_authenticate,
                                 const std::vector<std::string>& scopes) {
    std::vector<Challenge> challenges;
    for (const auto& value : www_authenticate)
        for (auto& c : parse_www_authenticate(value)) challenges.push_back(std::move(c));
    auto find = [&](const char* scheme) {
        return std::find_if(challenges.begin(), challenges.end(),
                            [&](const Challenge& c) { return c.scheme == scheme; });
    };

    if (auto bearer = find("bearer"); bearer != challenges.end()) {
        auto realm = bearer->params.find("realm");
        if (realm == bearer->params.end() || realm->second.empty())
            fail(Errc::registry, "Bearer challenge without a realm: " + www_authenticate.front());
        std::set<std::string> wanted(scopes.begin(), scopes.end());
        if (auto scope = bearer->params.find("scope"); scope != bearer->params.end())
            for (auto& s : split_spaces(scope->second)) wanted.insert(std::move(s));
        {
            std::lock_guard lock(mutex_);
            scheme_ = Scheme::bearer;
            realm_ = realm->second;
            service_ = bearer->params.count("service") ? bearer->params.at("service") : "";
        }
        fetch_bearer({wanted.begin(), wanted.end()}, scope_key(scopes));
        return true;
    }
    if (find("basic") != challenges.end()) {
        std::lock_guard lock(mutex_);
        // Credentials already sent and refused, or none to send: retrying cannot help.
        if (credentials_.username.empty() || scheme_ == Scheme::basic) return false;
        scheme_ = Scheme::basic;
        return true;
    }
    return false;
}

std::string Authorizer::fetch_bearer(const std::vector<std::string>& scopes, const std::string& key) {
    std::string url, realm;
    {
        std::lock_guard lock(mutex_);
        realm = realm_;
        url = realm_;
        if (!service_.empty()) url = add_query(url, "service", service_);
    }
    for (const auto& s : scopes) url = add_query(url, "scope", s);
    std::string basic;
    if (!credentials_.username.empty())
        basic = "Basic " + base64_encode(credentials_.username + ":" + credentials_.password);
    // Fetched outside the lock: other workers keep going with their own tokens meanwhile.
    BearerToken token = parse_token_response(fetch_(url, basic), realm);
    std::lock_guard lock(mutex_);
    tokens_[key] = CachedToken{token.token, scopes, refresh_time(token.expires_in)};
    return "Bearer " + token.token;
}

}  // namespace sealift::registry
