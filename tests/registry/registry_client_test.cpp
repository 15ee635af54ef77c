// The registry client against a real docker-registry (distribution 2.8), in
// each auth mode: no auth, htpasswd Basic, and token auth from a test issuer.
#include <catch2/catch.hpp>

#include <thread>

#include "core/error.hpp"
#include "support/registry_test_support.hpp"

using namespace sealift;
using namespace sealift::test;
using registry::RegistryClient;
using Auth = RegistryServer::Auth;

namespace {

const char* name_of(Auth auth) { return auth == Auth::none ? "none" : auth == Auth::basic ? "basic" : "token"; }

bool contains(const std::vector<std::string>& lines, const std::string& a, const std::string& b) {
    for (const auto& l : lines)
        if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("ping answers in every auth mode") {
    auto auth = GENERATE(Auth::none, Auth::basic, Auth::token);
    INFO("auth " << name_of(auth));
    RegistryServer server(auth);
    RegistryClient client(options_for(server));
    CHECK(client.host() == server.host());
    client.ping();
    if (auth == Auth::token) CHECK(server.token_requests().size() == 1);
}

TEST_CASE("small and chunked blobs go up and come back intact") {
    auto auth = GENERATE(Auth::none, Auth::basic, Auth::token);
    INFO("auth " << name_of(auth));
    RegistryServer server(auth);
    auto options = options_for(server);
    options.chunk_size = 4u << 20;
    options.monolithic_limit = 1u << 20;
    RegistryClient client(options);

    std::string small = blob_bytes(1000, 7), large = blob_bytes(20u << 20, 8);
    Digest small_digest = Sha256::of(small), large_digest = Sha256::of(large);
    CHECK_FALSE(client.blob_exists("team/app", small_digest));
    CHECK_FALSE(client.blob_exists("team/app", large_digest));

    auto before = client.stats();
    push_bytes(client, "team/app", small);
    push_bytes(client, "team/app", large);
    auto after = client.stats();
    CHECK(after.blobs_uploaded - before.blobs_uploaded == 2);
    CHECK(after.bytes_uploaded - before.bytes_uploaded == small.size() + large.size());
    // POST and PUT for the small one; POST, five 4 MiB PATCHes and PUT for the large one.
    if (auth == Auth::none) CHECK(after.requests - before.requests == 2 + 7);
    CHECK(after.retries == 0);

    CHECK(client.blob_exists("team/app", small_digest));
    CHECK(client.blob_exists("team/app", large_digest));
    CHECK(client.stats().blobs_skipped == 2);
    CHECK(read_back(client, "team/app", small_digest, small.size()) == small);
    CHECK(read_back(client, "team/app", large_digest, large.size()) == large);
    CHECK(open_uploads(server, "team/app") == 0);
    // One token for pulling (after the first 401), one for pushing; then both come from the cache.
    if (auth == Auth::token)
        CHECK(server.token_requests() ==
              std::vector<std::string>{"repository:team/app:pull", "repository:team/app:pull,push"});

    // A wrong expected size on the way down is an integrity failure.
    CHECK_THROWS_MATCHES(client.read_blob("team/app", small_digest, small.size() - 1), Error,
                         IsError(Errc::integrity, server.host() + "/team/app: read blob " + small_digest.str(),
                                 {"more than the expected 999 bytes"}));
    CHECK_THROWS_MATCHES(client.read_blob("team/app", large_digest, large.size() + 1), Error,
                         IsError(Errc::integrity, server.host() + "/team/app: read blob " + large_digest.str(),
                                 {"expected " + std::to_string(large.size() + 1)}));
}

TEST_CASE("edge sizes: an empty blob, and one-byte chunks") {
    RegistryServer server(Auth::none);
    auto options = options_for(server);
    options.monolithic_limit = 0;
    options.chunk_size = 1;
    RegistryClient client(options);
    Digest empty = push_bytes(client, "app", "");
    CHECK(read_back(client, "app", empty, 0).empty());
    Digest three = push_bytes(client, "app", "abc");
    CHECK(read_back(client, "app", three, 3) == "abc");
    // POST, PUT; POST, three PATCHes (distribution's "0-0" after the first means one byte), PUT.
    CHECK(client.stats().requests == 2 + 5 + 2);
    CHECK(client.stats().retries == 0);
}

TEST_CASE("one client serves several upload workers at once") {
    RegistryServer server(Auth::token);
    RegistryClient client(chunked(options_for(server), 256u << 10));
    constexpr int workers = 4, blobs_each = 3;
    std::vector<std::string> failures(workers);
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w)
        threads.emplace_back([&, w] {
            try {
                std::string repo = "worker" + std::to_string(w % 2) + "/app";
                for (int b = 0; b < blobs_each; ++b) {
                    std::string bytes = blob_bytes(b == 0 ? (1u << 20) + 17 : 5000 + b, 100 * w + b);
                    Digest digest = push_bytes(client, repo, bytes);
                    if (read_back(client, repo, digest, bytes.size()) != bytes)
                        failures[w] = "blob " + digest.str() + " differs";
                }
            } catch (const std::exception& e) {
                failures[w] = e.what();
            }
        });
    for (auto& t : threads) t.join();
    for (const auto& f : failures) CHECK(f.empty());
    CHECK(client.stats().blobs_uploaded == workers * blobs_each);
    CHECK(client.stats().retries == 0);
}

TEST_CASE("bytes that do not match the digest are refused and nothing is committed") {
    RegistryServer server(Auth::basic);
    RegistryClient client(chunked(options_for(server), 1u << 20));

    auto size = GENERATE(std::size_t{5000}, std::size_t{3u << 20});  // one PUT, and chunked
    INFO("size " << size);
    std::string claimed = blob_bytes(size, 1), actual = blob_bytes(size, 2);
    Digest digest = Sha256::of(claimed);
    std::string context = server.host() + "/app: push blob " + digest.str() + ": ";

    MemorySource wrong(actual), short_source(claimed.substr(0, size - 10)), long_source(claimed + "x");
    CHECK_THROWS_MATCHES(client.upload_blob("app", digest, size, wrong), Error,
                         IsError(Errc::integrity, context + "source bytes have digest " + Sha256::of(actual).str()));
    CHECK_THROWS_MATCHES(client.upload_blob("app", digest, size, short_source), Error,
                         IsError(Errc::integrity, context + "source ended after " + std::to_string(size - 10) + " of " +
                                                      std::to_string(size)));
    CHECK_THROWS_MATCHES(
        client.upload_blob("app", digest, size, long_source), Error,
        IsError(Errc::integrity, context + "source has more than the declared " + std::to_string(size) + " bytes"));
    CHECK_FALSE(client.blob_exists("app", digest));
    CHECK(open_uploads(server, "app") == 0);
    CHECK(client.stats().blobs_uploaded == 0);
}

TEST_CASE("a blob copies between repositories from a download that checks its digest itself") {
    RegistryServer server(Auth::basic);
    RegistryClient client(chunked(options_for(server), 1u << 20));
    std::string bytes = blob_bytes((2u << 20) + 99, 21);
    Digest digest = push_bytes(client, "origin/app", bytes);
    {
        auto download = client.open_blob("origin/app", digest, bytes.size());
        client.upload_blob("copy/app", digest, bytes.size(), *download, registry::BlobCheck::source_verified);
    }
    CHECK(read_back(client, "copy/app", digest, bytes.size()) == bytes);

    // Damaged at the source: the download's own error, and nothing committed at the destination.
    server.damage_blob(digest.str());
    auto download = client.open_blob("origin/app", digest, bytes.size());
    CHECK_THROWS_MATCHES(
        client.upload_blob("other/app", digest, bytes.size(), *download, registry::BlobCheck::source_verified), Error,
        IsError(Errc::integrity, server.host() + "/origin/app: read blob " + digest.str() + ": content hashes to "));
    CHECK_FALSE(client.blob_exists("other/app", digest));
    CHECK(open_uploads(server, "other/app") == 0);
}

TEST_CASE("blobs mount across repositories, with the source's pull scope in the token") {
    auto auth = GENERATE(Auth::none, Auth::basic, Auth::token);
    INFO("auth " << name_of(auth));
    RegistryServer server(auth);
    RegistryClient client(options_for(server));

    std::string bytes = blob_bytes(4096, 3);
    Digest digest = push_bytes(client, "origin/app", bytes);
    CHECK(client.mount_blob("copy/app", digest, "origin/app"));
    CHECK(client.blob_exists("copy/app", digest));
    CHECK(read_back(client, "copy/app", digest, bytes.size()) == bytes);
    CHECK(client.stats().blobs_mounted == 1);

    // Not in the source: the registry opens an upload session, which the client cancels.
    Digest absent = Sha256::of("not pushed anywhere");
    CHECK_FALSE(client.mount_blob("copy/app", absent, "origin/app"));
    CHECK_FALSE(client.blob_exists("copy/app", absent));
    CHECK(open_uploads(server, "copy/app") == 0);
    CHECK(client.stats().blobs_mounted == 1);

    if (auth == Auth::token)
        CHECK(contains(server.token_requests(), "repository:copy/app:pull,push", "repository:origin/app:pull"));
}

TEST_CASE("manifests go up by tag, come back by tag and digest, and are listed and deleted") {
    auto auth = GENERATE(Auth::none, Auth::basic, Auth::token);
    INFO("auth " << name_of(auth));
    RegistryServer server(auth);
    RegistryClient client(options_for(server));

    TestImage image = push_image(client, "platform/api", "1.0.0");
    CHECK(image.digest == Sha256::of(image.manifest));
    auto again = client.put_manifest("platform/api", "latest", TestImage::media_type, image.manifest);
    CHECK(again.digest == image.digest);
    CHECK_FALSE(again.subject_indexed);

    for (const std::string& reference : {std::string("1.0.0"), image.digest.str()}) {
        INFO("reference " << reference);
        auto head = client.head_manifest("platform/api", reference);
        REQUIRE(head);
        CHECK(head->digest == image.digest);
        CHECK(head->media_type == TestImage::media_type);
        CHECK(head->size == image.manifest.size());
        std::string bytes;
        auto got = client.get_manifest("platform/api", reference, bytes);
        REQUIRE(got);
        CHECK(bytes == image.manifest);
        CHECK(got->digest == image.digest);
        CHECK(got->media_type == TestImage::media_type);
        CHECK(got->size == image.manifest.size());
    }
    std::string unused;
    CHECK_FALSE(client.head_manifest("platform/api", "2.0.0"));
    CHECK_FALSE(client.get_manifest("platform/api", "2.0.0", unused));
    CHECK(client.list_tags("platform/api") == std::vector<std::string>{"1.0.0", "latest"});
    CHECK(client.list_tags("platform/never-pushed").empty());

    client.delete_manifest("platform/api", image.digest);
    CHECK_FALSE(client.head_manifest("platform/api", image.digest.str()));
    CHECK(client.list_tags("platform/api").empty());
}

TEST_CASE("a manifest referring to missing blobs is refused with the registry's error") {
    RegistryServer server(Auth::none);
    RegistryClient client(options_for(server));
    Json manifest = {{"schemaVersion", 2},
                     {"mediaType", TestImage::media_type},
                     {"config",
                      {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                       {"digest", Sha256::of("missing").str()},
                       {"size", 7}}},
                     {"layers", Json::array()}};
    CHECK_THROWS_MATCHES(
        client.put_manifest("app", "v1", TestImage::media_type, manifest.dump()), Error,
        IsError(Errc::registry, server.host() + "/app: put manifest v1: HTTP 400 MANIFEST_BLOB_UNKNOWN"));
}

TEST_CASE("distribution 2.8 has no referrers API") {
    RegistryServer server(Auth::token);
    RegistryClient client(options_for(server));
    TestImage image = push_image(client, "app", "v1");
    CHECK_FALSE(client.referrers("app", image.digest).has_value());
}

TEST_CASE("refused credentials give a clear HTTP 401 error") {
    auto auth = GENERATE(Auth::basic, Auth::token);
    INFO("auth " << name_of(auth));
    RegistryServer server(auth);
    auto options = options_for(server);
    options.credentials.password = "wrong";
    RegistryClient client(options);
    std::string detail = auth == Auth::token ? "/token: get token: HTTP 401 UNAUTHORIZED: invalid username or password"
                                             : "HTTP 401 UNAUTHORIZED";
    CHECK_THROWS_MATCHES(client.ping(), Error, IsError(Errc::registry, server.host() + ": ping: ", {detail}));
    // The same 401 as for no credentials at all: the message says they were sent.
    CHECK_THROWS_MATCHES(client.ping(), Error,
                         IsError(Errc::registry, server.host() + ": ping: ",
                                 {"(the credentials of user '" + server.username() + "' were sent and refused)"}));

    // Without credentials, pushing is refused by the registry itself.
    RegistryClient anonymous(options_for(server, false));
    CHECK_THROWS_MATCHES(push_bytes(anonymous, "app", "data"), Error,
                         IsError(Errc::registry, server.host() + "/app: push blob " + Sha256::of("data").str(),
                                 {"HTTP 401 UNAUTHORIZED", "(no credentials were sent: give --username",
                                  "docker login " + server.host() + ")"}));
}

TEST_CASE("HTTPS to a plain-HTTP registry says to pass --plain-http") {
    RegistryServer server(Auth::none);
    auto options = options_for(server, false);
    options.plain_http = false;  // the TLS handshake gets an HTTP answer: curl error 35
    RegistryClient client(options);
    CHECK_THROWS_MATCHES(
        client.ping(), Error,
        IsError(Errc::network, server.host() + ": ping: cannot reach " + server.host(),
                {"(curl error 35)", "(if " + server.host() + " speaks plain HTTP, not HTTPS, pass --plain-http)"}));
}

TEST_CASE("an unreachable registry is a network error after the retries") {
    int port = free_loopback_port();  // nothing listens there
    registry::RegistryOptions options;
    options.host = "127.0.0.1:" + std::to_string(port);
    options.plain_http = true;
    options.max_retries = 2;
    options.initial_backoff = std::chrono::milliseconds(5);
    RegistryClient client(options);
    CHECK_THROWS_MATCHES(client.blob_exists("app", Sha256::of("x")), Error,
                         IsError(Errc::network,
                                 options.host + "/app: check blob " + Sha256::of("x").str() + ": cannot reach " +
                                     options.host + " after 2 retries: ",
                                 {"curl error 7"}));
    CHECK(client.stats().retries == 2);
    CHECK(client.stats().requests == 3);
}

TEST_CASE("invalid names and references are refused before any request") {
    registry::RegistryOptions options;
    options.host = "127.0.0.1:1";
    RegistryClient client(options);
    std::string bytes;
    for (const std::string& repo :
         {std::string("Upper/case"), std::string("a//b"), std::string("../v2"), std::string("")}) {
        INFO("repo '" << repo << "'");
        CHECK_THROWS_MATCHES(client.list_tags(repo), Error,
                             IsError(Errc::usage, "127.0.0.1:1: invalid repository name '" + repo + "'"));
    }
    CHECK_THROWS_MATCHES(client.get_manifest("app", "bad tag", bytes), Error,
                         IsError(Errc::usage, "127.0.0.1:1/app: invalid tag or digest 'bad tag'"));
    CHECK(client.stats().requests == 0);
    options.host = "evil.example/path";
    CHECK_THROWS_MATCHES(RegistryClient(options), Error,
                         IsError(Errc::usage, "invalid registry host 'evil.example/path'"));
}

TEST_CASE("skopeo sees what the client pushed") {
    auto auth = GENERATE(Auth::none, Auth::basic, Auth::token);
    INFO("auth " << name_of(auth));
    RegistryServer server(auth);
    RegistryClient client(options_for(server));
    TestImage image = push_image(client, "release/web", "2.1.0");

    std::string creds = auth == Auth::none ? "" : " --creds '" + server.username() + ":" + server.password() + "'";
    auto r = run("skopeo inspect --tls-verify=false" + creds + " docker://" + server.host() + "/release/web:2.1.0");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    Json inspected = Json::parse(r.out);
    CHECK(inspected["Digest"] == image.digest.str());
    CHECK(inspected["Architecture"] == "amd64");
    CHECK(inspected["Layers"].size() == 1);

    auto raw =
        run("skopeo inspect --raw --tls-verify=false" + creds + " docker://" + server.host() + "/release/web:2.1.0");
    CHECK(raw.out == image.manifest);
}

TEST_CASE("TLS with an extra CA and client certificates") {
    SECTION("server certificate signed by the CA in ca_file") {
        RegistryServer server(Auth::basic, RegistryServer::Tls::server);
        auto options = options_for(server);
        options.plain_http = false;
        options.ca_file = server.ca_file();
        RegistryClient client(options);
        client.ping();
        Digest digest = push_bytes(client, "app", "over tls");
        CHECK(read_back(client, "app", digest, 8) == "over tls");

        options.ca_file.clear();
        RegistryClient untrusting(options);
        CHECK_THROWS_MATCHES(
            untrusting.ping(), Error,
            IsError(Errc::network, server.host() + ": ping: cannot reach " + server.host(), {"curl error 60"}));
    }
    SECTION("client certificate required") {
        RegistryServer server(Auth::none, RegistryServer::Tls::mutual);
        auto options = options_for(server);
        options.plain_http = false;
        options.ca_file = server.ca_file();
        options.max_retries = 0;
        RegistryClient without(options);
        CHECK_THROWS_MATCHES(without.ping(), Error, IsError(Errc::network, server.host() + ": ping: cannot reach "));
        options.client_cert = server.client_cert();
        options.client_key = server.client_key();
        RegistryClient with(options);
        with.ping();
    }
}
