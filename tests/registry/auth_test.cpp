// Challenge parsing, token answers and where credentials come from.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <optional>

#include "core/error.hpp"
#include "core/text.hpp"
#include "registry/auth.hpp"
#include "support/registry_test_support.hpp"

using namespace sealift;
using namespace sealift::registry;
using sealift::test::TempDir;
using sealift::test::write_text;

namespace {

// Sets (or unsets, with nullopt) an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value)
            setenv(name, value->c_str(), 1);
        else
            unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_)
            setenv(name_, old_->c_str(), 1);
        else
            unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

}  // namespace

TEST_CASE("WWW-Authenticate: quoted parameters keep their commas and colons") {
    auto c = parse_www_authenticate(
        R"(Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:host:5000/a/b:pull,push repository:c:pull",error="insufficient_scope")");
    REQUIRE(c.size() == 1);
    CHECK(c[0].scheme == "bearer");
    CHECK(c[0].params.at("realm") == "https://auth.example.com/token");
    CHECK(c[0].params.at("service") == "registry.example.com");
    CHECK(c[0].params.at("scope") == "repository:host:5000/a/b:pull,push repository:c:pull");
    CHECK(c[0].params.at("error") == "insufficient_scope");

    auto two = parse_www_authenticate(
        R"(Basic realm="a \"quoted\" realm", charset=UTF-8, Bearer realm="https://r/t", Service = "s")");
    REQUIRE(two.size() == 2);
    CHECK(two[0].scheme == "basic");
    CHECK(two[0].params.at("realm") == "a \"quoted\" realm");
    CHECK(two[0].params.at("charset") == "UTF-8");
    CHECK(two[1].scheme == "bearer");
    CHECK(two[1].params.at("service") == "s");

    CHECK(parse_www_authenticate("Basic").at(0).params.empty());
    CHECK_THROWS_WITH(parse_www_authenticate(R"(Bearer realm="https://r/t)"),
                      Catch::Contains("unterminated quoted string"));
    CHECK_THROWS_WITH(parse_www_authenticate(R"(Bearer ="x")"), Catch::Contains("expected a name"));
}

TEST_CASE("token answers: token or access_token, expires_in defaulting to 60 s") {
    auto a = parse_token_response(R"({"token":"abc","expires_in":300})", "https://r/t");
    CHECK(a.token == "abc");
    CHECK(a.expires_in == std::chrono::seconds(300));
    auto b = parse_token_response(R"({"access_token":"xyz"})", "https://r/t");
    CHECK(b.token == "xyz");
    CHECK(b.expires_in == std::chrono::seconds(60));
    CHECK_THROWS_WITH(parse_token_response(R"({"expires_in":60})", "https://r/t"),
                      Catch::Contains("token answer from https://r/t: no 'token' or 'access_token'"));
    CHECK_THROWS_WITH(parse_token_response("<html>", "https://r/t"), Catch::Contains("not a JSON object"));
    CHECK_THROWS_WITH(parse_token_response(R"({"token":"a","expires_in":"soon"})", "https://r/t"),
                      Catch::Contains("'expires_in' is not an integer"));
}

TEST_CASE("credentials: explicit, then environment, then Docker config.json") {
    TempDir dir;
    ScopedEnv docker_config("DOCKER_CONFIG", dir.path().string());
    ScopedEnv user("SEALIFT_REGISTRY_USERNAME", std::nullopt);
    ScopedEnv password("SEALIFT_REGISTRY_PASSWORD", std::nullopt);

    CHECK(resolve_credentials("reg.example:5000", std::nullopt).username.empty());

    write_text(dir / "config.json", R"({
      "auths": {
        "reg.example:5000": {"auth": ")" +
                                        base64_encode("alice:pa:ss") + R"("},
        "https://other.example/v1/": {"username": "bob", "password": "hunter2"},
        "https://index.docker.io/v1/": {"auth": ")" +
                                        base64_encode("hub:key") + R"("}
      },
      "credsStore": "desktop"
    })");
    auto alice = resolve_credentials("reg.example:5000", std::nullopt);
    CHECK(alice.username == "alice");
    CHECK(alice.password == "pa:ss");
    auto bob = resolve_credentials("OTHER.example", std::nullopt);
    CHECK(bob.username == "bob");
    CHECK(bob.password == "hunter2");
    CHECK(resolve_credentials("docker.io", std::nullopt).username == "hub");
    CHECK(resolve_credentials("reg.example:5001", std::nullopt).username.empty());

    {
        ScopedEnv env_user("SEALIFT_REGISTRY_USERNAME", "carol");
        ScopedEnv env_password("SEALIFT_REGISTRY_PASSWORD", "from-env");
        auto carol = resolve_credentials("reg.example:5000", std::nullopt);
        CHECK(carol.username == "carol");
        CHECK(carol.password == "from-env");
        auto dave = resolve_credentials("reg.example:5000", Credentials{"dave", "explicit"});
        CHECK(dave.username == "dave");
        CHECK(dave.password == "explicit");
    }

    write_text(dir / "config.json",
               R"({"auths": {"reg.example:5000": {"auth": ")" + base64_encode("no-colon") + R"("}}})");
    CHECK_THROWS_WITH(resolve_credentials("reg.example:5000", std::nullopt),
                      Catch::Contains("config.json: auths.reg.example:5000.auth: not base64 of 'user:password'"));
    write_text(dir / "config.json", R"({"auths": [])");
    CHECK_THROWS_WITH(resolve_credentials("reg.example:5000", std::nullopt), Catch::Contains("config.json"));
}

TEST_CASE("credentials from DOCKER_CONFIG log in to a real registry") {
    using sealift::test::RegistryServer;
    RegistryServer server(RegistryServer::Auth::basic);
    TempDir dir;
    ScopedEnv docker_config("DOCKER_CONFIG", dir.path().string());
    ScopedEnv user("SEALIFT_REGISTRY_USERNAME", std::nullopt);
    write_text(dir / "config.json", R"({"auths": {"http://)" + server.host() + R"(": {"auth": ")" +
                                        base64_encode(server.username() + ":" + server.password()) + R"("}}})");
    auto options = sealift::test::options_for(server, false);
    options.credentials = resolve_credentials(server.host(), std::nullopt);
    CHECK(options.credentials.username == server.username());
    RegistryClient client(options);
    client.ping();
    sealift::test::push_bytes(client, "app", "logged in");
}
