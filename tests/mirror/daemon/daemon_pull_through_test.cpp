// Pull-through against a real docker-registry upstream holding a release the
// store lacks; TLS on both listeners with a self-signed certificate and curl.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "core/digest.hpp"
#include "daemon_test_support.hpp"
#include "mirror/daemon/tls_transport.hpp"
#include "mirror/import/import.hpp"
#include "mirror/store/corrupt_blobs.hpp"
#include "support/registry_server.hpp"
#include "support/registry_test_support.hpp"

using namespace sealift;
namespace fs = std::filesystem;

namespace {

// The fixture's release pushed into a plain docker-registry (repositories platform/api, platform/web).
void push_to_upstream(const test::DaemonSite& site, const test::RegistryServer& upstream) {
    mirror::RegistryImportOptions o;
    o.bundle = site.first_bundle;
    o.target = registry::Target::parse(upstream.host());
    o.registry.host = upstream.host();
    o.registry.plain_http = true;
    o.quiet = true;
    mirror::import_to_registry(o, site.fx.root());
}

const char* oci_accept = "-H 'Accept: application/vnd.oci.image.manifest.v1+json'";

}  // namespace

TEST_CASE("pull-through: a miss is fetched from the configured upstream, checked, cached and served") {
    test::DaemonSite site;
    auto upstream = std::make_unique<test::RegistryServer>(test::RegistryServer::Auth::none);
    push_to_upstream(site, *upstream);

    auto config = site.config();
    config.upstreams["registry.example.com"] = {"http://" + upstream->host(), {}, {}, {}};
    site.start(config);
    auto url = site.registry_url() + "/v2/platform/api";

    auto manifest = test::curl(url + "/manifests/1.0.0?ns=registry.example.com", oci_accept);
    REQUIRE(manifest.status == 200);
    CHECK(manifest.header("docker-content-digest") == site.fx.api_digest);
    CHECK(Sha256::of(manifest.body).str() == site.fx.api_digest);
    auto layers = manifest.json()["layers"];
    REQUIRE_FALSE(layers.empty());
    for (const auto& layer : layers) {
        auto digest = layer["digest"].get<std::string>();
        auto blob = test::curl(url + "/blobs/" + digest + "?ns=registry.example.com");
        REQUIRE(blob.status == 200);
        CHECK(Sha256::of(blob.body).str() == digest);
    }
    // Cached: the store now holds it under the original name, outside any release.
    auto snap = site.snapshot();
    CHECK(snap->resolve("registry.example.com/platform/api", "1.0.0"));
    CHECK(snap->releases().empty());

    // With the upstream gone, what was cached is still served; what was not is the spec's 404.
    upstream.reset();
    CHECK(test::curl(url + "/manifests/" + site.fx.api_digest + "?ns=registry.example.com", oci_accept).status == 200);
    for (const auto& layer : layers)
        CHECK(test::curl(url + "/blobs/" + layer["digest"].get<std::string>() + "?ns=registry.example.com").status ==
              200);
    auto miss =
        test::curl(site.registry_url() + "/v2/platform/web/manifests/1.0.0?ns=registry.example.com", oci_accept);
    CHECK(miss.status == 404);
    CHECK(miss.json()["errors"][0]["code"].get<std::string>().find("UNKNOWN") != std::string::npos);
}

TEST_CASE("pull-through: while an upstream is slow to answer, the same event loop serves other clients") {
    test::DaemonSite site;
    test::RegistryServer upstream(test::RegistryServer::Auth::none);
    push_to_upstream(site, upstream);
    auto go = site.dir / "upstream-may-answer";
    Json rules = Json::array(
        {{{"method", "GET"}, {"path", "/manifests/1\\.0\\.0"}, {"action", "hold"}, {"until", go.string()}}});
    test::FaultProxy slow(upstream, rules.dump());

    auto config = site.config();
    config.threads = 1;  // one event loop: a fetch run on it would stall every other client
    config.upstreams["registry.example.com"] = {"http://" + slow.host(), {}, {}, {}};
    site.start(config);

    // The first pull of the tag waits on the upstream, in a client of its own.
    test::CommandResult held;
    std::atomic<bool> held_done{false};
    std::thread puller([&] {
        held = test::run("curl -s -o /dev/null -w '%{http_code} %header{docker-content-digest}' --max-time 60 " +
                         std::string(oci_accept) + " '" + site.registry_url() +
                         "/v2/platform/api/manifests/1.0.0?ns=registry.example.com'");
        held_done = true;
    });
    // No REQUIRE until the client thread is joined: the upstream is released whatever happens.
    bool holding = test::eventually(
        [&] { return slow.requests().find("GET /v2/platform/api/manifests/1.0.0") != std::string::npos; });
    auto meanwhile =
        test::run("curl -s -o /dev/null -w '%{http_code}' --max-time 10 '" + site.registry_url() + "/v2/'");
    bool answered_first = !held_done;
    test::write_text(go, "go");
    puller.join();

    REQUIRE(holding);
    CHECK(meanwhile.out == "200");
    CHECK(answered_first);
    CHECK(held.out == "200 " + site.fx.api_digest);
    CHECK(site.snapshot()->resolve("registry.example.com/platform/api", "1.0.0"));
}

TEST_CASE("pull-through: never dials a host the client names, and an unreachable upstream is a 404") {
    test::DaemonSite site;
    auto config = site.config();
    config.upstreams["registry.example.com"] = {
        "http://127.0.0.1:" + std::to_string(test::free_loopback_port()), {}, {}, {}};
    site.start(config);

    auto air_gapped =
        test::curl(site.registry_url() + "/v2/platform/api/manifests/1.0.0?ns=registry.example.com", oci_accept);
    CHECK(air_gapped.status == 404);
    CHECK(air_gapped.json()["errors"][0]["code"].get<std::string>().find("UNKNOWN") != std::string::npos);
    // A host that is not configured is not dialled: the store's own answer.
    auto other = test::curl(site.registry_url() + "/v2/platform/api/manifests/1.0.0?ns=evil.example.com", oci_accept);
    CHECK(other.status == 404);
    CHECK(other.json()["errors"][0]["code"] == "NAME_UNKNOWN");
}

TEST_CASE("TLS: both listeners speak HTTPS with the configured certificate") {
    test::DaemonSite site;
    auto cert = site.dir / "cert.pem", key = site.dir / "key.pem";
    auto made = test::run(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1"
        " -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        key.string() + "' -out '" + cert.string() + "' 2>&1");
    REQUIRE(made.exit_code == 0);
    fs::create_directories(site.drop);
    fs::copy_file(site.first_bundle, site.drop / "first.bundle");
    auto config = site.config();
    config.tls_cert = cert;
    config.tls_key = key;
    site.start(config);
    REQUIRE(test::eventually([&] { return fs::exists(site.drop / "imported/first.bundle"); }));

    std::string https = "https://" + site.daemon->address();
    std::string ca = "--cacert '" + cert.string() + "' ";
    auto manifest = test::curl(https + "/v2/platform/api/manifests/1.0.0", ca + oci_accept);
    REQUIRE(manifest.status == 200);
    CHECK(Sha256::of(manifest.body).str() == site.fx.api_digest);
    Json manifest_json = manifest.json();
    for (const auto& layer : manifest_json["layers"]) {
        auto digest = layer["digest"].get<std::string>();
        auto blob = test::curl(https + "/v2/platform/api/blobs/" + digest, ca);
        CHECK(blob.status == 200);
        CHECK(Sha256::of(blob.body).str() == digest);
    }
    auto status = test::curl("https://" + site.daemon->admin_address() + "/admin/status",
                             ca + "-H 'Authorization: Bearer " + test::admin_token + "'");
    CHECK(status.status == 200);
    CHECK(status.json()["tls"] == true);
    CHECK(test::curl("https://" + site.daemon->admin_address() + "/admin/status", ca).status == 401);
    // Plain HTTP on a TLS port is answered as nginx does, in plain text (it was a reset with nothing said).
    auto plain = test::curl("http://" + site.daemon->address() + "/v2/", "-m 5");
    CHECK(plain.status == 400);
    CHECK(plain.body == "The plain HTTP request was sent to HTTPS port\n");
}

TEST_CASE("TLS: plain HTTP on the TLS port gets a plain 400 and a clean close, logged at most once per 10 s") {
    test::TempDir dir;
    auto cert = dir / "cert.pem", key = dir / "key.pem";
    REQUIRE(test::run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "
                      "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
                      key.string() + "' -out '" + cert.string() + "' 2>&1")
                .exit_code == 0);
    std::mutex mutex;
    std::vector<std::string> logged;
    auto transport = mirror::daemon::make_tls_transport_factory(cert, key, [&](const std::string& line) {
        std::lock_guard lock(mutex);
        logged.push_back(line);
    });
    auto router = std::make_shared<mirror::http::Router>();
    router->add("GET", "/healthz", "healthz", [](const mirror::http::Request&, mirror::http::Response& response) {
        response.set_body("ok\n", "text/plain");
    });
    mirror::http::ServerLimits limits;
    limits.threads = 1;
    mirror::http::HttpServer server({{"registry", "127.0.0.1:0", router, transport}}, limits);
    server.start();
    for (int i = 0; i < 3; ++i) {
        test::RawClient c(server.bound_port(0));
        c.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: raw\r\n\r\n");
        std::string answer = c.read_until("HTTPS port\n");
        CHECK_THAT(answer, Catch::StartsWith("HTTP/1.1 400 Bad Request\r\n") &&
                               Catch::EndsWith("\r\n\r\nThe plain HTTP request was sent to HTTPS port\n"));
        CHECK(c.closed_cleanly());
    }
    {
        std::lock_guard lock(mutex);
        REQUIRE(logged.size() == 1);
        CHECK_THAT(logged[0], Catch::StartsWith("plain HTTP from 127.0.0.1:") && Catch::Contains("TLS port"));
    }
    // TLS itself is untouched.
    auto ok = test::curl("https://" + server.bound_address(0) + "/healthz", "--cacert '" + cert.string() + "'");
    CHECK(ok.status == 200);
    CHECK(ok.body == "ok\n");
}

TEST_CASE("TLS: a key that does not match the certificate is refused at start, naming both files") {
    test::DaemonSite site;
    auto cert = site.dir / "cert.pem", key = site.dir / "key.pem", other = site.dir / "other.pem";
    REQUIRE(
        test::run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=x -keyout '" +
                  key.string() + "' -out '" + cert.string() +
                  "' 2>&1 && openssl genpkey -algorithm ec -pkeyopt "
                  "ec_paramgen_curve:P-256 -out '" +
                  other.string() + "'")
            .exit_code == 0);
    auto config = site.config();
    config.tls_cert = cert;
    config.tls_key = other;
    try {
        site.start(config);
        FAIL("started with a key of another certificate");
    } catch (const Error& e) {
        CHECK(std::string(e.what()) ==
              "tls.key " + other.string() + ": does not match the certificate in " + cert.string());
    }
}

TEST_CASE("pull-through: a cached blob flagged corrupt is fetched again from the upstream and replaces the bad copy") {
    test::DaemonSite site;
    test::RegistryServer upstream(test::RegistryServer::Auth::none);
    push_to_upstream(site, upstream);
    auto config = site.config();
    config.upstreams["registry.example.com"] = {"http://" + upstream.host(), {}, {}, {}};
    site.start(config);
    auto url = site.registry_url() + "/v2/platform/api";
    auto manifest = test::curl(url + "/manifests/1.0.0?ns=registry.example.com", oci_accept);
    REQUIRE(manifest.status == 200);
    auto digest = manifest.json()["layers"][0]["digest"].get<std::string>();
    REQUIRE(test::curl(url + "/blobs/" + digest + "?ns=registry.example.com").status == 200);

    // Damaged on disk and flagged (as the scrub leaves it): served again from a fresh fetch, never the bad bytes.
    auto file = site.snapshot()->blob_path(Digest::parse(digest));
    std::string bytes = test::read_text(file);
    bytes[0] ^= 0x01;
    test::write_text(file, bytes);
    mirror::store::CorruptBlobs(site.store).flag(Digest::parse(digest), "scrub", "test");
    auto again = test::curl(url + "/blobs/" + digest + "?ns=registry.example.com");
    CHECK(again.status == 200);
    CHECK(Sha256::of(again.body).str() == digest);
    CHECK(Sha256::of(test::read_text(file)).str() == digest);
    CHECK_FALSE(mirror::store::flagged_corrupt(file));
}

// What loading the TLS files says to a user who is not their owner: root reads any
// file, so as root the load runs in a child that became `nobody` first.
static std::string tls_error_as_other_user(const fs::path& cert, const fs::path& key) {
    auto load = [&] {
        return test::error_of([&] { mirror::daemon::make_tls_transport_factory(cert, key); }, "LOADED");
    };
    if (::geteuid() != 0) {
        fs::permissions(key, fs::perms::none);
        return load();
    }
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::close(fds[0]);
        std::string message = ::setgid(65534) == 0 && ::setuid(65534) == 0 ? load() : "CANNOT BECOME NOBODY";
        ssize_t ignored = ::write(fds[1], message.data(), message.size());
        (void)ignored;
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string message;
    char buf[512];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) message.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    ::waitpid(child, nullptr, 0);
    return message;
}

TEST_CASE("TLS: a key the service user cannot read is refused at start as permission denied, naming it") {
    test::TempDir dir;
    fs::permissions(dir.path(), fs::perms(0755));  // the folder is open; only the key is not
    auto cert = dir / "cert.pem", key = dir / "key.pem";
    REQUIRE(
        test::run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=x -keyout '" +
                  key.string() + "' -out '" + cert.string() + "' 2>&1")
            .exit_code == 0);
    fs::permissions(cert, fs::perms(0644));
    fs::permissions(key, fs::perms(0600));
    CHECK(tls_error_as_other_user(cert, key) ==
          "tls.key " + key.string() +
              ": cannot read: Permission denied (make it readable by the user the mirror runs as)");
    // A folder in place of the key is named as not a file, not as a PEM problem.
    fs::create_directories(dir / "folder.pem");
    CHECK(test::error_of([&] { mirror::daemon::make_tls_transport_factory(cert, dir / "folder.pem"); }) ==
          "tls.key " + (dir / "folder.pem").string() + ": not a regular file");
}
